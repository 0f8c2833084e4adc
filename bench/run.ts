/**
 * `npm run bench`: ingest and query figures on a corpus of at least BENCH_PASSAGES passages (default
 * 2,000) built from the shipped articles, with BENCH_MODEL (default ../shared/models/minilm-l6-random,
 * which costs what all-MiniLM-L6-v2 costs); then the Discord run (bench/discord.ts) on that index.
 * The last stdout line is JSON.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { Embedder } from '../src/search/embedder.js';
import { SearchService } from '../src/search/search-service.js';
import { buildBenchCorpus } from './corpus-builder.js';
import { runDiscordBench } from './discord.js';

const targetPassages = Number(process.env.BENCH_PASSAGES ?? 2000);
const model = process.env.BENCH_MODEL ?? path.resolve('../shared/models/minilm-l6-random');
const dtype = process.env.EMBEDDING_DTYPE === 'fp32' ? 'fp32' : 'q8';
const log = silentLogger();
const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-bench-'));

try {
  const embedder = await Embedder.load({ model, dtype, cacheDir: path.resolve('.clipdesk/models') });
  // The shipped five split into about 64 passages; size the copies to reach the target.
  const copies = Math.max(1, Math.ceil(targetPassages / 60));
  const corpusDir = path.join(work, 'corpus');
  const articles = await buildBenchCorpus(path.resolve('corpus'), corpusDir, copies);
  const indexDir = path.join(work, 'index');

  const started = performance.now();
  const { summary } = await ingest({ corpusDir, indexDir, maxFileBytes: 20 * 1024 * 1024, embedder, log });
  const ingestSeconds = (performance.now() - started) / 1000;

  const search = await SearchService.open({ indexDir, embedder, log });
  const fixture = JSON.parse(await readFile('test/fixtures/questions.json', 'utf8')) as {
    onTopic: Array<{ q: string }>;
    offTopic: string[];
  };
  const questions = [...fixture.onTopic.map((x) => x.q), ...fixture.offTopic];
  for (const q of questions.slice(0, 10)) await search.search(q, { limit: 5 }); // warm up
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      const t0 = performance.now();
      await search.search(q, { limit: 5 });
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const rss_mb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const percentile = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;

  await embedder.dispose();
  const discord = await runDiscordBench({
    corpusDir,
    indexDir,
    model,
    dtype,
    questions,
    interactions: Number(process.env.BENCH_DISCORD_INTERACTIONS ?? 200),
    seconds: Number(process.env.BENCH_DISCORD_SECONDS ?? 20),
  });

  const figures = {
    model: path.basename(model),
    dtype: embedder.info.dtype,
    articles,
    passages: summary.passages,
    tokens_per_passage: Math.round((summary.embeddedTokens / summary.embeddedPassages) * 10) / 10,
    ingest_seconds: Math.round(ingestSeconds * 100) / 100,
    ingest_passages_per_s: Math.round(summary.passages / ingestSeconds),
    ingest_tokens_per_s: Math.round(summary.embeddedTokens / ingestSeconds),
    query_p50_ms: Math.round(percentile(50) * 10) / 10,
    query_p95_ms: Math.round(percentile(95) * 10) / 10,
    queries: times.length,
    rss_mb,
    ...discord,
  };
  console.log(
    `ingest: ${figures.passages} passages (${figures.tokens_per_passage} tokens each) in ${figures.ingest_seconds} s = ` +
      `${figures.ingest_passages_per_s} passages/s, ${figures.ingest_tokens_per_s} tokens/s`,
  );
  console.log(
    `query: p50 ${figures.query_p50_ms} ms, p95 ${figures.query_p95_ms} ms over ${figures.queries} questions; rss ${figures.rss_mb} MB`,
  );
  console.log(
    `discord: ${figures.discord_answered}/${figures.discord_interactions} /ask answered; dispatch to final reply p50 ${figures.discord_p50_ms} ms, ` +
      `p95 ${figures.discord_p95_ms} ms, max ${figures.discord_max_ms} ms; heartbeat (every ${figures.heartbeat_interval_ms} ms) ` +
      `late by p95 ${figures.heartbeat_delay_p95_ms} ms, max ${figures.heartbeat_delay_max_ms} ms, missed ${figures.heartbeats_missed}`,
  );
  console.log(JSON.stringify(figures));
} finally {
  await rm(work, { recursive: true, force: true });
}
await (await import('./feeds-bench.js')).runFeedsBench(); // issue 10: feed figures (npm run bench:feeds)
