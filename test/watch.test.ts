import assert from 'node:assert/strict';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type IngestResult, ingest } from '../src/ingest/ingest.js';
import { writeCorpusFile } from '../src/intake/article-file.js';
import { silentLogger } from '../src/logger.js';
import type { Timers } from '../src/util/timers.js';
import { CorpusWatcher } from '../src/watch/corpus-watcher.js';
import { indexedArticles, indexedBody } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/** Timers the test fires by hand: the quiet period ends when the test says so. */
class ManualTimers implements Timers {
  private armed: (() => void) | null = null;
  set(fn: () => void) {
    this.armed = fn;
    return fn;
  }
  clear(handle: unknown) {
    if (this.armed === handle) this.armed = null;
  }
  get isArmed() {
    return this.armed !== null;
  }
  fire() {
    const fn = this.armed;
    this.armed = null;
    fn?.();
  }
}

const md = (title: string, body: string) =>
  `---\ntitle: "${title}"\noutlet: Watcher Post\ndate: 2026-11-20\n---\n${body}\n`;

/**
 * A watched corpus of its own for one test: a copy of the shipped corpus, indexed, with a watcher on it
 * whose quiet-period timer the test fires by hand. Stopped when the test ends.
 */
async function watching(t: TestContext) {
  const corpusDir = await copyOfShippedCorpus();
  const indexDir = path.join(await tempDir(), 'index');
  const timers = new ManualTimers();
  const results: IngestResult[] = [];
  let changes = 0;
  let changeWaiters: Array<{ count: number; resolve: () => void }> = [];
  let settleWaiter: ((outcome: string) => void) | null = null;

  const runIngest = async () =>
    ingest({
      corpusDir,
      indexDir,
      maxFileBytes: 1024 * 1024,
      embedder: await testEmbedder('tiny-random-bert'),
      log: silentLogger(),
    });
  await runIngest();
  const watcher = new CorpusWatcher({
    dir: corpusDir,
    debounceMs: 1000,
    log: silentLogger(),
    timers,
    ingest: async () => {
      const result = await runIngest();
      results.push(result);
      return result;
    },
    onSettle: (outcome) => settleWaiter?.(outcome),
    onChange: () => {
      changes++;
      changeWaiters = changeWaiters.filter((w) => {
        if (changes < w.count) return true;
        w.resolve();
        return false;
      });
    },
  });
  await watcher.start();
  t.after(() => watcher.stop());

  /** Resolves once the watcher has taken `n` more change events into account. */
  const changesSeen = (n: number): Promise<void> => {
    const count = changes + n;
    return new Promise((resolve) => {
      if (changes >= count) resolve();
      else changeWaiters.push({ count, resolve });
    });
  };
  /** The outcome of the watcher's next quiet-period check. */
  const nextSettle = () =>
    new Promise<string>((resolve) => {
      settleWaiter = resolve;
    });
  /** Fires the quiet-period timer until an ingest runs; returns how many times it had to fire. */
  const settle = async (): Promise<{ fired: number; result: IngestResult }> => {
    let fired = 0;
    for (;;) {
      assert.ok(timers.isArmed, 'the watcher stopped waiting without ingesting');
      fired++;
      const outcome = nextSettle();
      timers.fire();
      if ((await outcome) === 'ingested') {
        const result = results.at(-1);
        assert.ok(result);
        return { fired, result };
      }
    }
  };
  return { corpusDir, indexDir, watcher, timers, results, runIngest, changesSeen, nextSettle, settle };
}

describe('watched corpus folder', () => {
  it('ingests a burst of 500 new files once', async (t) => {
    const { corpusDir, watcher, results, changesSeen, settle } = await watching(t);
    await mkdir(path.join(corpusDir, 'burst'));
    const seen = changesSeen(500);
    for (let i = 0; i < 500; i++)
      await writeFile(
        path.join(corpusDir, 'burst', `${i}.md`),
        md(`Burst article ${i}`, `Body of burst article number ${i}.`),
      );
    await seen;
    const { result } = await settle();
    assert.equal(results.length, 1);
    assert.equal(result.summary.added, 500);
    assert.equal(watcher.pendingCount, 0);
  });

  it('waits for a file that is still being written, and never reads it half-written', async (t) => {
    const { corpusDir, indexDir, timers, changesSeen, nextSettle, settle } = await watching(t);
    const file = path.join(corpusDir, 'growing.md');
    let seen = changesSeen(1);
    await writeFile(file, md('Growing article', 'The first half of the story.'));
    await seen;
    const firstCheck = nextSettle();
    timers.fire(); // first check: size and time recorded
    assert.equal(await firstCheck, 'waiting');
    seen = changesSeen(1);
    await appendFile(file, 'The second half arrives later.\n');
    await seen;
    const { fired } = await settle();
    assert.ok(fired >= 2, `ingested after ${fired} quiet period(s)`);
    assert.match(
      (await indexedBody(indexDir, 'Growing article')) ?? '',
      /The first half of the story\.\nThe second half arrives later\.$/,
    );
  });

  it('picks up changed and removed files', async (t) => {
    const { corpusDir, changesSeen, settle } = await watching(t);
    await mkdir(path.join(corpusDir, 'burst'));
    let seen = changesSeen(2);
    await writeFile(path.join(corpusDir, 'burst', '7.md'), md('Burst article 7', 'The first body.'));
    await writeFile(path.join(corpusDir, 'burst', '8.md'), md('Burst article 8', 'Soon removed.'));
    await seen;
    assert.equal((await settle()).result.summary.added, 2);
    seen = changesSeen(1);
    await writeFile(
      path.join(corpusDir, 'burst', '7.md'),
      md('Burst article 7, corrected', 'A corrected body.'),
    );
    await seen;
    assert.equal((await settle()).result.summary.updated, 1);
    seen = changesSeen(1);
    await rm(path.join(corpusDir, 'burst', '8.md'));
    await seen;
    assert.equal((await settle()).result.summary.removed, 1);
  });

  it('does not ingest again what an ingest already read, nor staging files', async (t) => {
    const { corpusDir, indexDir, watcher, results, runIngest, changesSeen, settle } = await watching(t);
    const before = results.length;
    // A writer (feeds, /add) renames a finished file into place, then ingests through the watcher's track().
    await writeCorpusFile(
      corpusDir,
      'feeds/x',
      '2026-11-20-atomic',
      '.md',
      md('Atomic article', 'Written by rename.'),
      'k',
    );
    assert.equal((await watcher.track(runIngest)).summary.added, 1);
    await writeFile(path.join(corpusDir, '.hidden.md'), md('Hidden article', 'Never read.'));
    const seen = changesSeen(1);
    await writeFile(path.join(corpusDir, 'late.md'), md('Late article', 'Written after.'));
    await seen;
    const { result } = await settle();
    assert.equal(results.length, before + 1);
    assert.equal(result.summary.added, 1);
    const titles = (await indexedArticles(indexDir)).map((a) => a.title);
    assert.ok(titles.includes('Late article'));
    assert.ok(!titles.includes('Hidden article'));
  });
});
