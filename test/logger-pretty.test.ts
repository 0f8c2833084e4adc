import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/errors.js';
import { createLogger, prettyAvailable } from '../src/logger.js';
import { tempDir } from './helpers/temp.js';

describe('LOG_PRETTY=1 where pino-pretty is not installed (a production install)', () => {
  it('is a one-line config error naming the fix, not a stack trace', async () => {
    // A module in a folder with no node_modules: pino-pretty cannot be found from there.
    const lonely = path.join(await tempDir(), 'app.js');
    await writeFile(lonely, '');
    assert.equal(prettyAvailable(lonely), false);
    assert.throws(
      () => createLogger({ level: 'info', pretty: true, resolveFrom: lonely }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 1);
        assert.match(error.problems[0] ?? '', /^LOG_PRETTY: pino-pretty is not installed .*set LOG_PRETTY=0/);
        return true;
      },
    );
    assert.equal(prettyAvailable(), true, 'the development install has it');
  });
});
