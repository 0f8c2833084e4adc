/**
 * `npm run bench:pages`: what a large hostile HTML page costs. The page (bench/hostile-page.ts, about 1.3 MB:
 * 20,000 paragraphs and 10,000 nested `<div>`s) is extracted in this thread, then ingested as a corpus file
 * while a 10 ms timer measures how long the event loop (the bot's, in a running bot) is held at most.
 * Model: BENCH_PAGES_MODEL, default test/models/use-static-128 (parsing is what is measured). The last
 * stdout line is JSON.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extractPage } from '../src/corpus/html-extract.js';
import { Embedder } from '../src/embedding/embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { hostilePage } from './hostile-page.js';

const model = path.resolve(process.env.BENCH_PAGES_MODEL ?? 'test/models/use-static-128');

/** Runs `work` while a timer ticks every 10 ms; returns its time and the longest the loop was held. */
async function timed<T>(
  work: () => Promise<T> | T,
): Promise<{ ms: number; longestStallMs: number; value: T }> {
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  const started = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - started;
    longest = Math.max(longest, performance.now() - last - 10);
    return { ms: Math.round(ms), longestStallMs: Math.round(Math.max(0, longest)), value };
  } finally {
    clearInterval(tick);
  }
}

const figures: Record<string, unknown> = {};
const paragraphs = hostilePage(20_000, 0);
const nested = hostilePage(0, 10_000);
const page = hostilePage();
figures.page_bytes = Buffer.byteLength(page);

for (const [name, html] of [
  ['extract_20000_paragraphs', paragraphs],
  ['extract_10000_nested', nested],
  ['extract_whole_page', page],
] as const) {
  try {
    const run = await timed(() => extractPage(html));
    figures[`${name}_ms`] = run.ms;
    figures[`${name}_chars`] = run.value.text.length;
  } catch (error) {
    figures[`${name}_error`] = (error as Error).message.slice(0, 80);
  }
  process.stderr.write(`${name}: ${JSON.stringify(figures)}\n`);
}

const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-bench-pages-'));
try {
  const corpusDir = path.join(work, 'corpus');
  const indexDir = path.join(work, 'index');
  await mkdir(corpusDir, { recursive: true });
  await writeFile(path.join(corpusDir, 'harbour-report.html'), page);
  const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
  const run = await timed(() =>
    ingest({
      corpusDir,
      indexDir,
      maxFileBytes: 20 * 1024 * 1024,
      embedder,
      log: silentLogger(),
      maintenance: 'skip',
    }),
  );
  figures.ingest_ms = run.ms;
  figures.ingest_longest_stall_ms = run.longestStallMs;
  figures.ingest_added = run.value.summary.added;
  figures.ingest_skipped = run.value.summary.skipped.map((s) => s.reason);
  figures.ingest_passages = run.value.summary.passages;
  await embedder.dispose();
} finally {
  await rm(work, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
