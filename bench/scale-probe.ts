/**
 * The reading side of `npm run bench:scale`, in a fresh process so that start-up and memory are those of a
 * bot or `ask` that has just started: loads the model, opens the index, answers the questions given on
 * stdin (one per line), and prints one JSON line of figures.
 * Usage: tsx bench/scale-probe.ts <indexDir> <model> < questions.txt
 */
import { createInterface } from 'node:readline';
import { Embedder } from '../src/embedding/embedder.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/search/search-service.js';

const [indexDir, model] = process.argv.slice(2) as [string, string];
const questions: string[] = [];
for await (const line of createInterface({ input: process.stdin })) if (line.trim()) questions.push(line);

let t = performance.now();
const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: '.clipdesk/models' });
const modelMs = performance.now() - t;
t = performance.now();
const search = await SearchService.open({ indexDir, embedder, log: silentLogger() });
const openMs = performance.now() - t;
t = performance.now();
await search.search(questions[0] ?? 'news', { limit: 5 });
const firstMs = performance.now() - t;
const rssAfterOpen = process.memoryUsage().rss;

const times: number[] = [];
let answered = 0;
for (const q of questions) {
  const started = performance.now();
  const { results } = await search.search(q, { limit: 5 });
  times.push(performance.now() - started);
  if (results.length) answered++;
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
const round = (x: number) => Math.round(x * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    model_load_ms: round(modelMs),
    open_ms: round(openMs),
    first_answer_ms: round(firstMs),
    ready_ms: round(openMs + firstMs),
    p50_ms: round(pct(50)),
    p95_ms: round(pct(95)),
    questions: times.length,
    answered,
    rss_mb: Math.round(Math.max(rssAfterOpen, process.memoryUsage().rss) / 1024 / 1024),
  })}\n`,
);
await search.close();
await embedder.dispose();
