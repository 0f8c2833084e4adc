import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { noFeedsMessage } from '../src/feeds/status-format.js';
import { resolveAllowed } from '../src/intake/safe-fetch.js';
import { runNode } from './helpers/run-node.js';
import { tempDir } from './helpers/temp.js';

/** Messages that name the fix, not only the problem (issue 21, item 6). */
describe('messages that name the fix', () => {
  it('a feed at a private address names FEEDS_ALLOW_PRIVATE=1', async () => {
    await assert.rejects(resolveAllowed('127.0.0.1', false), (error: unknown) => {
      assert.match(
        (error as Error).message,
        /^127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback, private or reserved address: not fetched \(for an intranet feed or page, set FEEDS_ALLOW_PRIVATE=1\)$/,
      );
      return true;
    });
    assert.equal((await resolveAllowed('127.0.0.1', true)).length, 1);
  });

  it('"No feeds configured" says to copy feeds.example.json to the feeds file (npm run feeds, --status too)', async () => {
    assert.equal(
      noFeedsMessage(path.join('/srv/app', 'feeds.json'), '/srv/app'),
      'No feeds configured: copy feeds.example.json to feeds.json (FEEDS_FILE) and edit it, or add one with /feeds add in Discord.',
    );
    const work = await tempDir();
    const env = {
      ...process.env,
      FEEDS_FILE: path.join(work, 'feeds.json'),
      DATA_DIR: path.join(work, 'data'),
      INDEX_DIR: path.join(work, 'index'),
    };
    for (const args of [['--status'], []]) {
      const run = await runNode('src/cli/feeds.ts', args, { env });
      assert.match(
        run.stdout,
        /No feeds configured: copy feeds\.example\.json to .*feeds\.json \(FEEDS_FILE\)/,
        args.join(' '),
      );
    }
  });
});
