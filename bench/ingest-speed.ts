import { existsSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from '@huggingface/transformers';
import type { Embedder } from '../src/embedding/embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import type { Logger } from '../src/logger.js';
import { benchPassages } from './passages.js';

export interface IngestSpeedOptions {
  model: string;
  embedder: Embedder;
  corpusDir: string;
  /** Each timed ingest builds a fresh index in a folder under this one. */
  workDir: string;
  rounds: number;
  log: Logger;
}

export interface IngestSpeedFigures {
  passages: number;
  tokens_per_passage: number;
  /** The plain pipeline, one passage per call, as a newcomer would write it (median over the rounds). */
  baseline_tokens_per_s: number;
  /** `ingest()` end to end: reading, splitting, embedding, writing (median over the rounds). */
  ingest_tokens_per_s: number;
  ingest_seconds: number;
  /** Median over the rounds of (baseline time / ingest time) on the same passages. */
  speedup: number;
  speedups: number[];
  /**
   * CPU time (every thread of the process) per 1,000 tokens, median over the rounds: unlike wall time it
   * hardly moves with the load on the machine, and it shows what a side would cost with the cores to itself.
   */
  baseline_cpu_ms_per_1k_tokens: number;
  ingest_cpu_ms_per_1k_tokens: number;
  /** Starting the embedding workers (before the timed ingests, as the pipeline is created before its own). */
  workers_start_ms: number;
  /** Largest difference between a vector of ours and the pipeline's, over the first passages. */
  max_abs_diff_vs_pipeline: number;
}

const WARM_UP_PASSAGES = 20;
const COMPARED_PASSAGES = 256;

/**
 * Times the baseline and the ingest on the same passages, alternately (baseline first in odd rounds, ingest
 * first in even ones) so that load on the machine weighs on both alike; both are credited with the same
 * tokens, counted as the model reads them (special tokens included).
 */
export async function measureIngestSpeed(options: IngestSpeedOptions): Promise<{
  figures: IngestSpeedFigures;
  indexDir: string;
}> {
  const { embedder, corpusDir } = options;
  const passages = await benchPassages(corpusDir, embedder);
  const extractor = await pipeline('feature-extraction', options.model, {
    dtype: embedder.info.dtype,
    local_files_only: existsSync(options.model),
  });
  const pipelineTokens = passages.texts.reduce((n, text) => n + extractor.tokenizer.encode(text).length, 0);
  if (pipelineTokens !== passages.tokens) {
    throw new Error(`the pipeline reads ${pipelineTokens} tokens where the ingest reads ${passages.tokens}`);
  }

  const reference: Float32Array[] = [];
  const runBaseline = async (): Promise<number> => {
    const started = performance.now();
    for (const text of passages.texts) {
      const output = await extractor(text, { pooling: 'mean', normalize: true });
      if (reference.length < COMPARED_PASSAGES)
        reference.push(Float32Array.from(output.data as Float32Array));
    }
    return (performance.now() - started) / 1000;
  };
  let indexDir = '';
  const runIngest = async (round: number): Promise<number> => {
    indexDir = path.join(options.workDir, `index-${round}`);
    const started = performance.now();
    const { summary } = await ingest({
      corpusDir,
      indexDir,
      maxFileBytes: 20 * 1024 * 1024,
      embedder,
      log: options.log,
    });
    const seconds = (performance.now() - started) / 1000;
    if (summary.embeddedTokens !== passages.tokens) {
      throw new Error(
        `the ingest embedded ${summary.embeddedTokens} tokens, the bench split ${passages.tokens}`,
      );
    }
    return seconds;
  };

  for (const text of passages.texts.slice(0, WARM_UP_PASSAGES)) await extractor(text, { pooling: 'mean' });
  const workersStarted = performance.now();
  await embedder.startWorkers();
  const workersStartMs = performance.now() - workersStarted;
  await embedder.embedPieces(passages.inputs.slice(0, 2 * embedder.batching.poolFrom));

  const baselineSeconds: number[] = [];
  const ingestSeconds: number[] = [];
  const baselineCpu: number[] = [];
  const ingestCpu: number[] = [];
  const timed = async (run: () => Promise<number>, seconds: number[], cpu: number[]) => {
    const before = process.cpuUsage();
    seconds.push(await run());
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000 / (passages.tokens / 1000));
  };
  for (let round = 0; round < options.rounds; round++) {
    const baseline = () => timed(runBaseline, baselineSeconds, baselineCpu);
    const ingestRound = () => timed(() => runIngest(round), ingestSeconds, ingestCpu);
    if (round % 2 === 0) {
      await baseline();
      await ingestRound();
    } else {
      await ingestRound();
      await baseline();
    }
  }
  await extractor.dispose();

  const ours = await embedder.embedPieces(passages.inputs.slice(0, COMPARED_PASSAGES));
  let maxDiff = 0;
  ours.forEach(({ vector }, i) => {
    const theirs = reference[i] as Float32Array;
    for (let j = 0; j < vector.length; j++)
      maxDiff = Math.max(maxDiff, Math.abs((vector[j] as number) - (theirs[j] as number)));
  });

  const speedups = baselineSeconds.map((b, i) => round2(b / (ingestSeconds[i] as number)));
  const perSecond = (seconds: number[]) => Math.round(passages.tokens / median(seconds));
  return {
    indexDir,
    figures: {
      passages: passages.inputs.length,
      tokens_per_passage: Math.round((passages.tokens / passages.inputs.length) * 10) / 10,
      baseline_tokens_per_s: perSecond(baselineSeconds),
      ingest_tokens_per_s: perSecond(ingestSeconds),
      ingest_seconds: round2(median(ingestSeconds)),
      speedup: median(speedups),
      speedups,
      baseline_cpu_ms_per_1k_tokens: Math.round(median(baselineCpu)),
      ingest_cpu_ms_per_1k_tokens: Math.round(median(ingestCpu)),
      workers_start_ms: Math.round(workersStartMs),
      max_abs_diff_vs_pipeline: Number(maxDiff.toPrecision(2)),
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
