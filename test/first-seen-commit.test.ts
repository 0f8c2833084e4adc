import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { indexedArticles, runIngest } from './helpers/index.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const at = (iso: string) => () => new Date(iso);

describe('first-seen dates', () => {
  for (const failure of ['killed before its commit', 'a full disk'] as const) {
    it(`an article whose first ingest failed (${failure}) is first seen when it becomes searchable`, async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'tiny-random-bert', { now: at('2026-11-01T08:00:00Z') });
      await writeFile(
        path.join(corpus, 'late.txt'),
        'Late report\n\nThe ferry timetable changes next week.\n',
      );
      const failing =
        failure === 'a full disk'
          ? {
              beforeWrite: (file: string) => {
                if (file.endsWith('catalog.json'))
                  throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
              },
            }
          : {
              checkpoint: (step: string) => {
                if (step === 'embedded') throw new Error('killed');
              },
            };
      await assert.rejects(
        runIngest(corpus, index, 'tiny-random-bert', { now: at('2026-11-02T08:00:00Z'), ...failing }),
      );
      assert.ok(!(await indexedArticles(index)).some((a) => a.title === 'Late report'));
      await runIngest(corpus, index, 'tiny-random-bert', { now: at('2026-11-05T08:00:00Z') });
      const late = (await indexedArticles(index)).find((a) => a.title === 'Late report');
      assert.equal(late?.addedAt, '2026-11-05T08:00:00.000Z');
    });
  }
});
