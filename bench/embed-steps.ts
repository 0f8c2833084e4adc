/**
 * `npm run bench:embed-steps`: what each step of the embedding path gives against the plain transformers.js
 * pipeline, on the same passages (the shipped articles copied to about 2,400 passages), embedding only: the
 * pipeline one passage per call; our token ids and pooling on the calling thread, one input per call; plus
 * length-sorted batches (only where batching keeps vectors: fp32); plus the worker threads. Wall time and CPU
 * time per 1,000 tokens (all threads). BENCH_MODEL (see bench-model.ts) and EMBEDDING_DTYPE (default q8).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from '@huggingface/transformers';
import { Embedder } from '../src/embedding/embedder.js';
import { chooseBenchModel } from './bench-model.js';
import { buildBenchCorpus } from './corpus-builder.js';
import { benchPassages } from './passages.js';

const dtype = process.env.EMBEDDING_DTYPE === 'fp32' ? 'fp32' : 'q8';
const { model, note } = chooseBenchModel(process.env, process.cwd());
if (note) console.log(note);
const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-embed-steps-'));
const cacheDir = path.resolve('.clipdesk/models');
try {
  await buildBenchCorpus(path.resolve('corpus'), path.join(work, 'corpus'), 34);
  const rows: Array<{ step: string; tokens_per_s: number; cpu_ms_per_1k_tokens: number }> = [];
  let dtypeUsed: string = dtype;
  const timed = async (step: string, tokens: number, run: () => Promise<unknown>) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const row = {
      step,
      tokens_per_s: Math.round(tokens / seconds),
      cpu_ms_per_1k_tokens: Math.round((used.user + used.system) / 1000 / (tokens / 1000)),
    };
    rows.push(row);
    console.log(
      `${dtypeUsed} ${step}: ${row.tokens_per_s} tokens/s, CPU ${row.cpu_ms_per_1k_tokens} ms per 1,000 tokens`,
    );
  };

  const single = await Embedder.load({ model, dtype, cacheDir, workers: 0 });
  const passages = await benchPassages(path.join(work, 'corpus'), single);
  // The dtype the embedder settled on (q8 falls back to fp32 for a model that has no q8 weights).
  dtypeUsed = single.info.dtype;
  const extractor = await pipeline('feature-extraction', model, {
    dtype: single.info.dtype,
    local_files_only: existsSync(model),
  });
  for (const text of passages.texts.slice(0, 20)) await extractor(text, { pooling: 'mean', normalize: true });
  await timed('plain pipeline, one passage per call', passages.tokens, async () => {
    for (const text of passages.texts) await extractor(text, { pooling: 'mean', normalize: true });
  });
  await extractor.dispose();
  // The batch limit the load probe chose, then one input per call for the step before batching.
  const maxBatch = single.batching.maxBatch;
  Object.assign(single.batching, { maxBatch: 1 });
  await timed('own token ids and pooling, calling thread, one per call', passages.tokens, () =>
    single.embedPieces(passages.inputs),
  );
  if (maxBatch > 1) {
    Object.assign(single.batching, { maxBatch });
    await timed(`+ length-sorted batches of at most ${maxBatch}`, passages.tokens, () =>
      single.embedPieces(passages.inputs),
    );
  }
  await single.dispose();

  const pooled = await Embedder.load({ model, dtype, cacheDir });
  await pooled.startWorkers();
  await pooled.embedPieces(passages.inputs.slice(0, 2 * pooled.batching.poolFrom));
  await timed(`+ ${pooled.batching.workers} worker threads, single-threaded sessions`, passages.tokens, () =>
    pooled.embedPieces(passages.inputs),
  );
  await pooled.dispose();
  console.log(
    JSON.stringify({ model: path.basename(model), dtype: dtypeUsed, passages: passages.inputs.length, rows }),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
