/**
 * bench:quotes-ingest: what quotation extraction adds to a full ingest. Builds a fresh index of a corpus
 * (default the BBC archive, ../shared/corpora/bbc) with `npm run dev:ingest` of this checkout and of a
 * checkout without extraction (its path is the first argument: e.g. `git worktree`-free
 * `git archive <base> | tar -x -C /tmp/base` with node_modules linked to this one's), alternating A B A B
 * so that a change in the machine's load falls on both, and prints wall and CPU seconds of each run and
 * the medians. Run it under the CPU lock.
 *
 *   tsx bench/quotes-ingest.ts /tmp/clipdesk-base [rounds=3]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const base = process.argv[2];
if (!base) throw new Error('usage: tsx bench/quotes-ingest.ts <checkout without extraction> [rounds]');
const rounds = Number(process.argv[3] ?? 3);
const corpus = path.resolve(process.env.CORPUS_DIR ?? '../shared/corpora/bbc');
const model = path.resolve(process.env.EMBEDDING_MODEL ?? 'test/models/use-static-128');

/** One fresh ingest by the checkout in `dir`: wall seconds and CPU seconds (user + system, children included). */
async function ingestOnce(dir: string): Promise<{ wall: number; cpu: number }> {
  const index = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-quotes-ingest-'));
  try {
    const started = performance.now();
    const child = spawn(
      'bash',
      ['-c', 'TIMEFORMAT="%U %S"; time node --import tsx src/cli/ingest.ts > /dev/null'],
      {
        cwd: dir,
        env: {
          ...process.env,
          CORPUS_DIR: corpus,
          INDEX_DIR: index,
          EMBEDDING_MODEL: model,
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wall = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`ingest in ${dir} failed: ${stderr}`);
    const times = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(stderr);
    const cpu = times ? Number(times[1]) + Number(times[2]) : Number.NaN;
    return { wall, cpu };
  } finally {
    await rm(index, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const before: Array<{ wall: number; cpu: number }> = [];
const after: Array<{ wall: number; cpu: number }> = [];
for (let r = 0; r < rounds; r++) {
  before.push(await ingestOnce(path.resolve(base)));
  after.push(await ingestOnce(process.cwd()));
  console.log(
    `round ${r + 1}: without extraction ${before.at(-1)?.wall.toFixed(1)} s wall, ${before.at(-1)?.cpu.toFixed(1)} s CPU; with ${after.at(-1)?.wall.toFixed(1)} s wall, ${after.at(-1)?.cpu.toFixed(1)} s CPU`,
  );
}
const [bw, aw] = [median(before.map((x) => x.wall)), median(after.map((x) => x.wall))];
const [bc, ac] = [median(before.map((x) => x.cpu)), median(after.map((x) => x.cpu))];
console.log(
  `median of ${rounds}: without ${bw.toFixed(1)} s wall / ${bc.toFixed(1)} s CPU; with ${aw.toFixed(1)} s wall / ${ac.toFixed(1)} s CPU; ` +
    `slower by ${(100 * (aw / bw - 1)).toFixed(1)}% wall, ${(100 * (ac / bc - 1)).toFixed(1)}% CPU (${corpus})`,
);
