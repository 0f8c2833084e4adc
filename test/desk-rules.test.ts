import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { combineFollowUp, isElliptic } from '../src/desk/follow-up.js';
import { ScopeStore } from '../src/desk/scope-store.js';
import { ThreadStore } from '../src/desk/thread-store.js';
import { renderAnswer } from '../src/discord/answer-format.js';
import { askIds, parseAskId } from '../src/discord/custom-ids.js';
import { createGuildMessageHandler } from '../src/discord/desk.js';
import { UserFacingError } from '../src/errors.js';
import { silentLogger } from '../src/logger.js';
import {
  type ArchiveScope,
  corpusFolders,
  describeScope,
  inScope,
  intersectScopes,
  narrowWithin,
  normalizeFolder,
} from '../src/search/scope.js';
import { tempDir } from './helpers/temp.js';

const scope = (over: Partial<ArchiveScope>): ArchiveScope => ({
  outlets: [],
  folders: [],
  since: null,
  until: null,
  ...over,
});

describe('follow-up rule', () => {
  const base = 'How many heart patients were treated for free in 2002?';

  it('replaces the year of the previous question: "and in 2003?"', () => {
    assert.deepEqual(combineFollowUp(base, 'and in 2003?'), {
      question: 'How many heart patients were treated for free in 2003?',
      how: 'replaced',
    });
  });

  it('replaces the last name of the previous question: "what about Hotan?"', () => {
    assert.deepEqual(
      combineFollowUp('What did Wang Huning say about paired-up assistance in Xizang?', 'what about Hotan?'),
      { question: 'What did Wang Huning say about paired-up assistance in Hotan?', how: 'replaced' },
    );
    assert.equal(
      combineFollowUp('What did Wang Huning say about Xizang?', 'and what about Hotan?').question,
      'What did Wang Huning say about Hotan?',
    );
    assert.equal(
      combineFollowUp('Who visited Lhasa in August?', 'How about Nyingchi').question,
      'Who visited Nyingchi in August?',
    );
  });

  it('joins a follow-up that points back: "who else said that?"', () => {
    const combined = combineFollowUp('What did Wang Huning say about Xizang?', 'who else said that?');
    assert.equal(combined.how, 'joined');
    assert.equal(combined.question, 'who else said that: What did Wang Huning say about Xizang?');
  });

  it('adds a year to a question without one, and a name to a question without names', () => {
    assert.equal(combineFollowUp('How many cadres were dispatched?', 'and in 2003?').how, 'joined');
    assert.match(
      combineFollowUp('How many cadres were dispatched?', 'and in 2003?').question,
      /2003.*cadres/,
    );
    assert.equal(
      combineFollowUp('how many cadres were dispatched?', 'and Song Liqiang?').question,
      'Song Liqiang: how many cadres were dispatched?',
    );
  });

  it('asks a self-standing follow-up as it is, and the first question of a thread too', () => {
    const own = 'How many officials did Fujian send to Xizang in 1998?';
    assert.deepEqual(combineFollowUp(base, own), { question: own, how: 'as-is' });
    assert.deepEqual(combineFollowUp(null, 'and in 2003?'), { question: 'and in 2003?', how: 'as-is' });
    assert.equal(isElliptic(own), false);
    assert.equal(isElliptic('Hotan?'), true);
    assert.equal(isElliptic('What did the governor of Xinjiang promise the farmers of Hotan?'), false);
  });

  it('keeps the result within the question limit, cutting the previous question', () => {
    const long = `Why ${'very '.repeat(120)}long in 2002?`;
    const combined = combineFollowUp(long, 'and Lhasa?', 100);
    assert.ok(combined.question.length <= 100, String(combined.question.length));
    assert.match(combined.question, /^Lhasa: Why very/);
  });
});

describe('archive scope', () => {
  const sports = { source: 'sports/cycling.md', outlet: 'Sports Wire', date: '2025-06-02' };
  const news = { source: 'news/lanes.md', outlet: 'Metro Desk', date: '2025-06-03' };
  const undated = { source: 'sports/old.txt', outlet: null, date: null };

  it('keeps articles of its folders, outlets and dates', () => {
    assert.equal(inScope(sports, scope({ folders: ['sports'] })), true);
    assert.equal(inScope(news, scope({ folders: ['sports'] })), false);
    assert.equal(inScope({ ...sports, source: 'sportsman.md' }, scope({ folders: ['sports'] })), false);
    assert.equal(inScope(news, scope({ outlets: ['metro desk'] })), true);
    assert.equal(inScope(sports, scope({ since: '2025-06-03' })), false);
    assert.equal(inScope(undated, scope({ until: '2030-01-01' })), false);
  });

  it('lets an asker narrow it, never widen it, and says so', () => {
    const s = scope({ outlets: ['Sports Wire'], since: '2024-01-01', until: '2025-12-31' });
    assert.deepEqual(narrowWithin({ outlet: null }, s), {
      outlet: null,
      since: '2024-01-01',
      until: '2025-12-31',
    });
    assert.deepEqual(narrowWithin({ since: '2025-01-01' }, s).since, '2025-01-01');
    assert.throws(() => narrowWithin({ since: '2020-01-01' }, s), /would widen it/);
    assert.throws(() => narrowWithin({ until: '2026-01-01' }, s), /would widen it/);
    assert.throws(() => narrowWithin({ outlet: 'Metro Desk' }, s), /outlet Metro Desk is outside it/);
    assert.throws(() => narrowWithin({ outlet: 'Metro Desk' }, s), UserFacingError);
    assert.deepEqual(narrowWithin({ outlet: 'X' }, null), { outlet: 'X' });
  });

  it('intersects two scopes, keeping the deeper folder, and refuses one that leaves nothing', () => {
    assert.deepEqual(
      intersectScopes(
        scope({ folders: ['sports'], since: '2024-01-01' }),
        scope({ folders: ['sports/cycling'] }),
      ),
      scope({ folders: ['sports/cycling'], since: '2024-01-01' }),
    );
    assert.throws(
      () => intersectScopes(scope({ folders: ['sports'] }), scope({ folders: ['news'] })),
      /nothing/,
    );
    assert.equal(intersectScopes(null, null), null);
  });

  it('takes folders as paths under the corpus folder only', () => {
    assert.equal(normalizeFolder(' /sports/cycling/ '), 'sports/cycling');
    assert.equal(normalizeFolder('sports\\cycling'), 'sports/cycling');
    assert.throws(() => normalizeFolder('../etc'), UserFacingError);
    assert.throws(() => normalizeFolder('/'), UserFacingError);
    assert.deepEqual(
      corpusFolders([{ source: 'a.md' }, { source: 'sports/c/x.md' }, { source: 'n/y.json#3' }]),
      ['n', 'sports', 'sports/c'],
    );
    assert.equal(describeScope(null), 'the whole archive');
    assert.equal(
      describeScope(scope({ folders: ['sports'], since: '2024-01-01' })),
      'folder sports · since 2024-01-01',
    );
  });
});

describe('desk state files', () => {
  it('keeps scopes and threads across a reopen', async () => {
    const dir = await tempDir();
    const scopes = await ScopeStore.open(dir);
    await scopes.set('c1', {
      guildId: 'g',
      scope: scope({ folders: ['sports'] }),
      setBy: 'u',
      setAt: '2026-11-20T09:00:00Z',
    });
    const threads = await ThreadStore.open(dir);
    await threads.set('t1', {
      guildId: 'g',
      parentId: 'c1',
      messageId: 't1',
      openedBy: 'u',
      openedAt: '2026-11-20T09:00:00Z',
      lastAt: '2026-11-20T09:00:00Z',
      filters: { outlet: null, since: '2024-01-01', until: null },
      perPage: 3,
      questions: [{ asked: 'q', searched: 'q', by: 'u', at: '2026-11-20T09:00:00Z' }],
    });
    await threads.addQuestion('t1', {
      asked: 'and?',
      searched: 'q and',
      by: 'u',
      at: '2026-11-20T09:01:00Z',
    });
    assert.deepEqual((await ScopeStore.open(dir)).scopeOf('c1')?.folders, ['sports']);
    const reopened = await ThreadStore.open(dir);
    assert.equal(reopened.get('t1')?.questions.length, 2);
    assert.equal(reopened.byMessage('t1')?.[0], 't1');
  });

  it('moves a damaged scopes.json or threads.json aside and starts empty', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'scopes.json'),
      JSON.stringify({ version: 1, channels: { c: { scope: 5 } } }),
    );
    await writeFile(path.join(dir, 'threads.json'), '{"version":1,');
    const now = () => new Date('2026-11-20T09:00:00Z');
    const scopes = await ScopeStore.open(dir, { log: silentLogger(), now });
    const threads = await ThreadStore.open(dir, { log: silentLogger(), now });
    assert.equal(scopes.scopeOf('c'), null);
    assert.equal(threads.get('t'), undefined);
    assert.deepEqual((await readdir(dir)).sort(), [
      'scopes.json.corrupt-2026-11-20T09-00-00-000Z',
      'threads.json.corrupt-2026-11-20T09-00-00-000Z',
    ]);
  });
});

describe('desk buttons', () => {
  it('parses the thread and alert buttons and nothing malformed', () => {
    assert.deepEqual(parseAskId(askIds.thread('abc', 0)), { action: 'thread', answerId: 'abc', page: 0 });
    assert.deepEqual(parseAskId(askIds.alert('abc', 2)), { action: 'alert', answerId: 'abc', page: 2 });
    assert.equal(parseAskId('ask:alert:abc:0:x'), null);
    assert.equal(parseAskId('ask:thread:abc'), null);
  });

  it('puts Follow up and Alert me on a second row, and Alert me on an answer with nothing yet', () => {
    const view = {
      answerId: 'abc',
      question: 'q',
      filters: {},
      results: [],
      total: 0,
      page: 0,
      perPage: 3,
      shareable: false,
      followUp: true,
      scopeNote: 'folder sports',
    };
    const nothing = renderAnswer(view);
    assert.deepEqual(
      nothing.components.flatMap((r) => r.components.map((b) => ('label' in b ? b.label : ''))),
      ['Follow up in a thread', '🔔 Alert me'],
    );
    assert.match(nothing.content, /This channel sees only folder sports/);
    assert.deepEqual(renderAnswer({ ...view, followUp: false, alert: false }).components, []);
  });
});

describe('server messages at the door', () => {
  const fakeMessage = (guildId: string, replies: unknown[]) =>
    ({
      id: 'm1',
      guildId,
      channelId: 'c1',
      content: '<@42> How many heart patients were treated for free?',
      author: { id: 'u1', bot: false },
      client: { user: { id: '42' } },
      guild: { roles: { botRoleFor: () => null } },
      inGuild: () => true,
      reply: async (payload: unknown) => {
        replies.push(payload);
      },
    }) as never;
  const fakeContext = (allowed: string[]) =>
    ({
      config: { dmQuestionsPerMinute: 1, threadFollowups: true },
      now: () => new Date('2026-11-20T09:00:00Z'),
      log: silentLogger(),
      access: { allowsGuild: (id: string) => allowed.includes(id) },
      desk: { threads: { get: () => undefined } },
    }) as never;

  it('answers nothing, not even a refusal, to a mention in a server that is not allowed', async () => {
    const replies: unknown[] = [];
    await createGuildMessageHandler(fakeContext(['1']))(fakeMessage('2', replies));
    assert.deepEqual(replies, []);
  });

  it('applies the per-person rate limit to mentions (one notice, then silence)', async () => {
    const replies: Array<{ content?: string }> = [];
    const handler = createGuildMessageHandler(fakeContext(['1']));
    // The limit is 1 a minute: the second is noticed, the third ignored. The first fails further on (the
    // fake context has no search), which the person hears as an apology: still one reply per message.
    for (let i = 0; i < 3; i++) await handler(fakeMessage('1', replies as unknown[]));
    assert.equal(replies.length, 2);
    assert.match(replies[1]?.content ?? '', /faster than I can answer well \(1 a minute\)/);
  });
});
