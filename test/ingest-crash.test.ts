import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { buildBenchCorpus } from '../bench/corpus-builder.js';
import type { BackendName } from '../src/store/manifest.js';
import { BACKENDS, indexedHashes, runIngest } from './helpers/index.js';
import { PROJECT_ROOT, TEST_ROOT } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const CRASHER = path.join(TEST_ROOT, 'helpers', 'crashing-ingest.ts');

type Line = { phase?: string; done?: number; total?: number; checkpoint?: string; finished?: boolean };

/**
 * Runs the crashing ingest. `killWhen` sees every line the child reports and returns true to SIGKILL it
 * right then: kills are timed by the child's own progress, so each phase is really hit.
 */
function runCrasher(
  corpus: string,
  index: string,
  backend: BackendName,
  selfKillAt: string,
  killWhen?: (line: Line) => boolean,
): Promise<{ signal: NodeJS.Signals | null; lines: Line[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASHER, corpus, index, backend, selfKillAt], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines: Line[] = [];
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      if (killWhen?.(line)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, lines }));
  });
}

for (const backend of BACKENDS) {
  describe(`an ingest killed at any moment (${backend})`, () => {
    for (const step of ['segment-written', 'embedded', 'committed']) {
      it(`leaves an index that loads, old or new, when killed at "${step}"`, async () => {
        const corpus = await copyOfShippedCorpus();
        const index = path.join(await tempDir(), 'index');
        await runIngest(corpus, index, 'tiny-random-bert', { backend });
        const before = await indexedHashes(index);
        await writeFile(
          path.join(corpus, 'extra.txt'),
          'Extra report\n\nA new article arrives while the ingest runs.\n',
        );

        const { signal, lines } = await runCrasher(corpus, index, backend, step);
        assert.equal(signal, 'SIGKILL');
        assert.ok(
          lines.some((l) => l.checkpoint === step),
          `the child reached ${step}`,
        );
        const after = await indexedHashes(index);
        if (step === 'committed') assert.equal(after.length, 6, 'killed after the commit: the new index');
        else assert.deepEqual(after, before, 'killed before the commit: the old index');

        const next = await runIngest(corpus, index, 'tiny-random-bert', { backend });
        assert.equal(next.summary.articles, 6, 'the next ingest completes');
        assert.equal((await indexedHashes(index)).length, 6);
      });
    }

    it('leaves a loadable index when killed while reading, embedding, writing and merging', async () => {
      const corpus = await tempDir();
      await buildBenchCorpus(path.join(PROJECT_ROOT, 'corpus'), corpus, 6);
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'tiny-random-bert', { backend });
      const before = await indexedHashes(index);
      await buildBenchCorpus(path.join(PROJECT_ROOT, 'corpus'), corpus, 40); // 200 articles
      const targets: Array<[string, (line: Line) => boolean]> = [
        ['reading', (l) => l.phase === 'reading' && (l.done ?? 0) >= 60],
        ['embedding, early', (l) => l.phase === 'embedding' && (l.done ?? 0) >= 50],
        ['embedding, late', (l) => l.phase === 'embedding' && (l.done ?? 0) >= 150],
        ['writing', (l) => l.phase === 'writing'],
      ];
      for (const [name, when] of targets) {
        const { signal, lines } = await runCrasher(corpus, index, backend, 'none', when);
        assert.equal(signal, 'SIGKILL', `killed while ${name}`);
        assert.ok(lines.some(when), `the child reported ${name} before it was killed`);
        const now = await indexedHashes(index);
        assert.ok(
          now.length === before.length || now.length === 200,
          `killed while ${name}: old (${before.length}) or new (200), got ${now.length}`,
        );
      }
      await runIngest(corpus, index, 'tiny-random-bert', { backend });
      assert.equal((await indexedHashes(index)).length, 200);

      // Eight more small ingests make a tier of small segments: the upkeep after the ninth merges them.
      // Kill it as soon as the merge is under way; the index must load, then upkeep completes next time.
      for (let i = 0; i < 8; i++) {
        await writeFile(
          path.join(corpus, `late-${i}.txt`),
          `Late report ${i}\n\nA late article number ${i}.\n`,
        );
        await runIngest(corpus, index, 'tiny-random-bert', { backend, maintenance: 'skip' });
      }
      await writeFile(path.join(corpus, 'late-8.txt'), 'Late report 8\n\nA late article number 8.\n');
      const { lines } = await runCrasher(corpus, index, backend, 'none', (l) => l.phase === 'maintaining');
      assert.ok(
        lines.some((l) => l.phase === 'maintaining'),
        'the merge was under way when killed',
      );
      assert.equal((await indexedHashes(index)).length, 209);
      await runIngest(corpus, index, 'tiny-random-bert', { backend });
      assert.equal((await indexedHashes(index)).length, 209);
    });
  });
}
