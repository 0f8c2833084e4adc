import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildBenchCorpus } from '../bench/corpus-builder.js';
import { loadSnapshot } from '../src/search/index-store.js';
import { runIngest } from './helpers/index.js';
import { PROJECT_ROOT, TEST_ROOT } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const CRASHER = path.join(TEST_ROOT, 'helpers', 'crashing-ingest.ts');

function runCrasher(
  corpus: string,
  index: string,
  step: string,
  killAfterMs?: number,
): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASHER, corpus, index, step], {
      cwd: PROJECT_ROOT,
      stdio: 'ignore',
    });
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** The article hashes an index holds, to compare with the corpus before and after a change. */
async function indexedHashes(index: string): Promise<string[]> {
  const snapshot = await loadSnapshot(index);
  assert.ok(snapshot, 'the index loads');
  const items = await snapshot.vectra.listItems();
  assert.equal(items.length, snapshot.manifest.counts.passages, 'vectra holds every passage of the manifest');
  assert.equal(snapshot.sentenceVectors.rows, snapshot.manifest.counts.sentences);
  return snapshot.articles.map((a) => a.hash).sort();
}

describe('an ingest killed at any moment', () => {
  for (const step of ['embedded', 'generation-written', 'committed']) {
    it(`leaves an index that loads, old or new, when killed at "${step}"`, async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index);
      const before = await indexedHashes(index);
      await writeFile(
        path.join(corpus, 'extra.txt'),
        'Extra report\n\nA new article arrives while the ingest runs.\n',
      );

      const { signal } = await runCrasher(corpus, index, step);
      assert.equal(signal, 'SIGKILL');
      const after = await indexedHashes(index);
      if (step === 'committed') assert.equal(after.length, 6, 'killed after the swap: the new index');
      else assert.deepEqual(after, before, 'killed before the swap: the old index');

      const next = await runIngest(corpus, index);
      assert.equal(next.summary.articles, 6, 'the next ingest completes');
      assert.equal((await indexedHashes(index)).length, 6);
    });
  }

  it('leaves a loadable index when killed at arbitrary times during a longer ingest', async () => {
    const corpus = await tempDir();
    await buildBenchCorpus(path.join(PROJECT_ROOT, 'corpus'), corpus, 6);
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index);
    const before = await indexedHashes(index);
    await buildBenchCorpus(path.join(PROJECT_ROOT, 'corpus'), corpus, 100); // 500 articles: about 2 s of work
    // Whatever the kill lands on (start-up, reading, embedding, writing, the swap), the index must load.
    // The delays spread over a full run; which step each lands on varies, the assertion holds for all.
    for (const delay of [500, 800, 1100, 1400, 1700, 2000, 2300]) {
      await runCrasher(corpus, index, 'none', delay);
      const now = await indexedHashes(index);
      assert.ok(
        now.length === before.length || now.length === 500,
        `old (${before.length}) or new (500), got ${now.length}`,
      );
    }
    await runIngest(corpus, index);
    assert.equal((await indexedHashes(index)).length, 500);
  });
});
