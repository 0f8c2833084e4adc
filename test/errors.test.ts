import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError, errorChain, errorCode, errorMessage, isNetworkFailure } from '../src/errors.js';
import { startupMessage } from '../src/startup-message.js';

describe('caught values', () => {
  it('describes whatever was thrown without a cast', () => {
    assert.equal(describeError(new Error('disk full')), 'disk full');
    assert.equal(describeError('plain text'), 'plain text');
    assert.equal(describeError(42), '42');
    assert.equal(describeError(null), 'null');
    assert.equal(describeError(new Error('a long message'), 6), 'a long');
    assert.equal(describeError(Object.create(null)), 'unknown error', 'a value String() cannot print');
  });

  it('reads a system error code and message only when they are strings', () => {
    assert.equal(errorCode(Object.assign(new Error('x'), { code: 'ENOENT' })), 'ENOENT');
    assert.equal(errorCode({ code: 404 }), undefined);
    assert.equal(errorCode('ENOENT'), undefined);
    assert.equal(errorMessage({ message: 'shaped like an error' }), 'shaped like an error');
    assert.equal(errorMessage(7), undefined);
  });

  it('follows causes, at most four deep, and stops at a primitive', () => {
    const root = Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND' });
    const chain = errorChain(new Error('fetch failed', { cause: new Error('wrapped', { cause: root }) }));
    assert.equal(chain.length, 3);
    assert.equal(chain[2], root);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 6; i++) deep = new Error(`level ${i}`, { cause: deep });
    assert.equal(errorChain(deep).length, 4);
    assert.deepEqual(errorChain('thrown string'), ['thrown string']);
  });

  it('tells a network failure by its code or message anywhere in the chain', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND' });
    assert.equal(isNetworkFailure(new Error('fetch failed', { cause: dns })), true);
    assert.equal(isNetworkFailure(Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' })), true);
    assert.equal(isNetworkFailure(new Error('Unexpected token < in JSON')), false);
    assert.equal(isNetworkFailure('ECONNREFUSED'), false, 'a bare string is not an error with a code');
    assert.match(
      startupMessage(new Error('fetch failed', { cause: dns })) ?? '',
      /could not be reached at discord\.com \(getaddrinfo ENOTFOUND discord\.com\)/,
    );
  });
});
