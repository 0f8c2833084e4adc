/**
 * `npm run bench`: on a corpus of at least BENCH_PASSAGES passages (default 2,000) built from the shipped
 * articles, with BENCH_MODEL (see bench-model.ts) and EMBEDDING_DTYPE:
 * - ingest speed beside the plain transformers.js pipeline on the same passages, alternately,
 *   BENCH_ROUNDS times (default 3), and their ratio;
 * - question figures: embedding one question, and a whole search;
 * - the Discord run (bench/discord.ts) on that index (BENCH_DISCORD_INTERACTIONS=0 skips it);
 * - PDF reading time per 100 pages (bench/pdf-read.ts).
 * The last stdout line is JSON.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Embedder } from '../src/embedding/embedder.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/search/search-service.js';
import { chooseBenchModel, inBenchTerms } from './bench-model.js';
import { buildBenchCorpus } from './corpus-builder.js';
import { runDiscordBench } from './discord.js';
import { measureIngestSpeed } from './ingest-speed.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const targetPassages = Number(process.env.BENCH_PASSAGES ?? 2000);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const discordInteractions = Number(process.env.BENCH_DISCORD_INTERACTIONS ?? 200);
const { model, note } = chooseBenchModel(process.env, projectRoot);
if (note) console.log(`note: ${note}`);
const dtype = process.env.EMBEDDING_DTYPE === 'fp32' ? 'fp32' : 'q8';
const log = silentLogger();
const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-bench-'));

try {
  const embedder = await Embedder.load({
    model,
    dtype,
    cacheDir: path.resolve('.clipdesk/models'),
    // The workers must outlive a baseline round, however slow the machine is.
    workerIdleMs: 60 * 60 * 1000,
    onNote: (n) => console.log(`note: ${n}`),
  }).catch((error: unknown) => {
    throw inBenchTerms(error);
  });
  // The shipped five split into about 70 passages; size the copies to reach the target.
  const copies = Math.max(1, Math.ceil(targetPassages / 60));
  const corpusDir = path.join(work, 'corpus');
  const articles = await buildBenchCorpus(path.resolve('corpus'), corpusDir, copies);

  const { figures: speed, indexDir } = await measureIngestSpeed({
    model,
    embedder,
    corpusDir,
    workDir: work,
    rounds,
    log,
  });

  const search = await SearchService.open({ indexDir, embedder, log });
  const fixture = JSON.parse(await readFile('test/fixtures/questions.json', 'utf8')) as {
    onTopic: Array<{ q: string }>;
    offTopic: string[];
  };
  const questions = [...fixture.onTopic.map((x) => x.q), ...fixture.offTopic];
  for (const q of questions.slice(0, 10)) await search.search(q, { limit: 5 }); // warm up
  const times: number[] = [];
  const embedTimes: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of questions) {
      let t0 = performance.now();
      await embedder.embedQuery(q);
      embedTimes.push(performance.now() - t0);
      t0 = performance.now();
      await search.search(q, { limit: 5 });
      times.push(performance.now() - t0);
    }
  }
  const rss_mb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  await embedder.dispose();

  const discord =
    discordInteractions > 0
      ? await runDiscordBench({
          corpusDir,
          indexDir,
          model,
          dtype,
          questions,
          interactions: discordInteractions,
          seconds: Number(process.env.BENCH_DISCORD_SECONDS ?? 20),
        })
      : null;

  const figures = {
    model: path.basename(model),
    dtype: embedder.info.dtype,
    workers: embedder.batching.workers,
    max_batch: embedder.batching.maxBatch,
    articles,
    ...speed,
    ingest_passages_per_s: Math.round(speed.passages / speed.ingest_seconds),
    query_embed_p50_ms: percentile(embedTimes, 50),
    // The first round reads and analyses each article for the first time; later rounds find it in memory.
    query_first_round_p50_ms: percentile(times.slice(0, questions.length), 50),
    query_p50_ms: percentile(times, 50),
    query_p95_ms: percentile(times, 95),
    queries: times.length,
    rss_mb,
    ...discord,
  };
  console.log(
    `ingest: ${figures.passages} passages (${figures.tokens_per_passage} tokens each), ${rounds} rounds: ` +
      `baseline ${figures.baseline_tokens_per_s} tokens/s, ingest ${figures.ingest_tokens_per_s} tokens/s ` +
      `(${figures.ingest_seconds} s), speedup ${figures.speedup} (rounds: ${figures.speedups.join(', ')}); ` +
      `CPU per 1,000 tokens: baseline ${figures.baseline_cpu_ms_per_1k_tokens} ms, ingest ${figures.ingest_cpu_ms_per_1k_tokens} ms; ` +
      `${figures.workers} workers (started in ${figures.workers_start_ms} ms), batches of at most ${figures.max_batch}; ` +
      `max difference from the pipeline's vectors ${figures.max_abs_diff_vs_pipeline}`,
  );
  console.log(
    `query: embedding p50 ${figures.query_embed_p50_ms} ms; search p50 ${figures.query_p50_ms} ms, ` +
      `p95 ${figures.query_p95_ms} ms over ${figures.queries} questions (first round, every article read for the first time: ` +
      `p50 ${figures.query_first_round_p50_ms} ms); rss ${figures.rss_mb} MB`,
  );
  if (discord) {
    console.log(
      `discord: ${discord.discord_answered}/${discord.discord_interactions} /ask answered; dispatch to final reply p50 ${discord.discord_p50_ms} ms, ` +
        `p95 ${discord.discord_p95_ms} ms, max ${discord.discord_max_ms} ms; heartbeat (every ${discord.heartbeat_interval_ms} ms) ` +
        `late by p95 ${discord.heartbeat_delay_p95_ms} ms, max ${discord.heartbeat_delay_max_ms} ms, missed ${discord.heartbeats_missed}`,
    );
  }
  // PDF reading (npm run bench:pdf alone).
  const pdf = await (await import('./pdf-read.js')).runPdfBench();
  // Issue 10's feed figures (npm run bench:feeds alone); printed before the combined JSON so that stays last.
  const feeds = await (await import('./feeds-bench.js')).runFeedsBench();
  console.log(JSON.stringify({ ...figures, ...pdf, ...feeds }));
} finally {
  await rm(work, { recursive: true, force: true });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return Math.round(value * 10) / 10;
}
