import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IngestResult } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import type { Timers } from '../src/util/timers.js';
import { CorpusWatcher } from '../src/watch/corpus-watcher.js';
import { indexedArticles, runIngest } from './helpers/index.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/** Timers the test fires by hand. */
class ManualTimers implements Timers {
  armed: (() => void) | null = null;
  set(fn: () => void) {
    this.armed = fn;
    return fn;
  }
  clear(handle: unknown) {
    if (this.armed === handle) this.armed = null;
  }
}

let corpus: string;
let outside: string;
let index: string;

before(async () => {
  corpus = await copyOfShippedCorpus();
  outside = await tempDir('clipdesk-outside-');
  await writeFile(
    path.join(outside, 'secret.txt'),
    'Salary list\n\nThe editor earns more than anyone knows.\n',
  );
  // A folder link inside the corpus that leads out of it.
  await symlink(outside, path.join(corpus, 'ext'));
  index = path.join(await tempDir(), 'index');
  await runIngest(corpus, index);
});

const titles = async () => (await indexedArticles(index)).map((a) => a.title);

describe('links out of the corpus folder', () => {
  it('the full walk refuses the linked folder', async () => {
    assert.ok(!(await titles()).includes('Salary list'));
  });

  it('a targeted ingest given a file through the link refuses it by name', async () => {
    const { summary } = await runIngest(corpus, index, 'tiny-random-bert', { changed: ['ext/secret.txt'] });
    assert.ok(!(await titles()).includes('Salary list'));
    assert.match(
      summary.skipped.find((s) => s.source === 'ext/secret.txt')?.reason ?? '',
      /outside the corpus folder: refused/,
    );
  });

  describe('the watcher', () => {
    const timers = new ManualTimers();
    const handed: string[][] = [];
    let settled: (outcome: string) => void = () => {};
    let watcher: CorpusWatcher;
    before(async () => {
      watcher = new CorpusWatcher({
        dir: corpus,
        debounceMs: 1000,
        log: silentLogger(),
        timers,
        ingest: async (changed): Promise<IngestResult> => {
          handed.push([...(changed ?? [])]);
          return runIngest(corpus, index, 'tiny-random-bert', { changed });
        },
        onSettle: (outcome) => settled(outcome),
      });
      await watcher.start();
    });
    after(() => watcher.stop());

    it('never hands on a file that lies outside through a linked folder', async () => {
      const seen = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (timers.armed) {
            clearInterval(poll);
            resolve();
          }
        }, 10);
      });
      await writeFile(path.join(outside, 'payroll.txt'), 'Payroll\n\nEvery salary in the newsroom.\n');
      await mkdir(path.join(corpus, 'notes'), { recursive: true });
      await writeFile(path.join(corpus, 'notes', 'tide.txt'), 'Tide tables\n\nHigh water at six.\n');
      await seen;
      // Quiet periods until the watcher ingests (twice: a file must look the same at two checks).
      for (let i = 0; i < 5 && handed.length === 0; i++) {
        const outcome = new Promise<string>((resolve) => {
          settled = resolve;
        });
        timers.armed?.();
        await outcome;
      }
      assert.equal(handed.length, 1);
      assert.ok(handed[0]?.some((f) => f.endsWith('tide.txt')));
      assert.ok(!handed[0]?.some((f) => f.includes('payroll')), JSON.stringify(handed));
      const all = await titles();
      assert.ok(all.includes('Tide tables'));
      assert.ok(!all.includes('Payroll'));
    });
  });
});
