import type { Article } from '../corpus/article.js';
import { readCorpus } from '../corpus/read-corpus.js';
import type { Logger } from '../logger.js';
import type { Embedder } from '../search/embedder.js';
import {
  commitGeneration,
  type IndexSnapshot,
  type IngestSummary,
  loadSnapshot,
  type Manifest,
  type NewGeneration,
  pruneGenerations,
  touchManifest,
  writeGeneration,
} from '../search/index-store.js';
import { SerialQueue } from '../util/serial-queue.js';
import { assemble } from './assemble.js';
import { acquireIndexLock } from './lock.js';
import type { PassageLimits } from './passages.js';
import { segmentArticle } from './segment-article.js';

/** Bump when sentence or passage splitting changes: every article is then re-embedded. */
export const PASSAGE_VERSION = 1;
export const PASSAGE_TARGET_TOKENS = 96;

export type IngestPhase = 'reading' | 'embedding' | 'writing' | 'done';
export interface IngestProgress {
  phase: IngestPhase;
  done: number;
  total: number;
}

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  maxFileBytes: number;
  embedder: Embedder;
  log: Logger;
  onProgress?: (progress: IngestProgress) => void;
  /** Test seam: called between the steps that a crash could interrupt. */
  checkpoint?: (step: 'embedded' | 'generation-written' | 'committed') => void | Promise<void>;
  /** Injected clock for the recorded finish time and the duration. */
  now?: () => Date;
}

export interface IngestResult {
  summary: IngestSummary;
  manifest: Manifest;
}

const queues = new Map<string, SerialQueue>();

/**
 * Brings the index in line with the corpus: new articles are embedded, changed ones replaced, removed ones
 * dropped, unchanged ones carried over without re-embedding. Ingests in one process run one at a time
 * (one queue per index folder); another process is kept out by the index lock.
 */
export function ingest(options: IngestOptions): Promise<IngestResult> {
  const queue = queues.get(options.indexDir) ?? new SerialQueue();
  queues.set(options.indexDir, queue);
  return queue.run(() => ingestLocked(options));
}

async function ingestLocked(options: IngestOptions): Promise<IngestResult> {
  const release = await acquireIndexLock(options.indexDir);
  try {
    return await runIngest(options);
  } finally {
    await release();
  }
}

async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const { embedder, log, indexDir } = options;
  const { now } = options;
  const clock = now ? () => now().getTime() : () => performance.now();
  const started = clock();
  const ingestTime = (options.now?.() ?? new Date()).toISOString();
  const progress = options.onProgress ?? (() => {});
  const limits: PassageLimits = {
    targetTokens: Math.min(PASSAGE_TARGET_TOKENS, embedder.info.maxTokens - embedder.specialTokenCount),
    maxTokens: embedder.info.maxTokens - embedder.specialTokenCount,
    paragraphTokens: Math.round(PASSAGE_TARGET_TOKENS / 2),
  };

  progress({ phase: 'reading', done: 0, total: 0 });
  const previous = await loadPrevious(indexDir, log);
  const reusable = previous && isCompatible(previous.manifest, embedder, limits) ? previous : null;
  if (previous && !reusable) {
    log.warn(
      { indexModel: previous.manifest.model.name, model: embedder.info.name },
      'the index was built with another model or splitter: rebuilding it',
    );
  }
  const corpus = await readCorpus(options.corpusDir, { maxFileBytes: options.maxFileBytes });
  for (const skipped of corpus.skipped) log.warn(skipped, 'article skipped');

  const before = new Map((previous?.articles ?? []).map((a) => [a.id, a]));
  const fresh: Article[] = [];
  let added = 0;
  let updated = 0;
  for (const article of corpus.articles) {
    const old = before.get(article.id);
    if (!old) added++;
    else if (!reusable || old.hash !== article.hash) updated++;
    else continue;
    fresh.push(article);
  }
  const inCorpus = new Set(corpus.articles.map((a) => a.id));
  const previousIds = (previous?.articles ?? []).map((a) => a.id);
  const removed = previousIds.filter((id) => !inCorpus.has(id)).length;
  const unchanged = corpus.articles.length - fresh.length;

  const segmented = fresh.map((article) => segmentArticle(article, (t) => embedder.tokenize(t), limits));
  const inputs = segmented.flatMap((s) => s.passages.map((p) => s.sentenceTokens.slice(p.first, p.last + 1)));
  const embeddedTokens = inputs.reduce(
    (n, pieces) => n + embedder.specialTokenCount + pieces.reduce((m, p) => m + p.length, 0),
    0,
  );
  progress({ phase: 'embedding', done: 0, total: inputs.length });
  const embeddings = await embedder.embedPieces(inputs, (done) =>
    progress({ phase: 'embedding', done, total: inputs.length }),
  );
  await options.checkpoint?.('embedded');

  const finishedSummary = (passages: number): IngestSummary => ({
    added,
    updated,
    unchanged,
    removed,
    skipped: corpus.skipped,
    notes: corpus.notes,
    articles: corpus.articles.length,
    passages,
    embeddedPassages: inputs.length,
    embeddedTokens,
    seconds: Math.round((clock() - started) / 10) / 100,
    finishedAt: (options.now?.() ?? new Date()).toISOString(),
  });

  if (reusable && fresh.length === 0 && removed === 0) {
    const summary = finishedSummary(reusable.manifest.counts.passages);
    const manifest = await touchManifest(indexDir, reusable.manifest, summary);
    progress({ phase: 'done', done: 1, total: 1 });
    return { summary, manifest };
  }

  progress({ phase: 'writing', done: 0, total: 1 });
  const next = await assemble(
    corpus.articles,
    segmented,
    embeddings,
    reusable,
    previous?.articles ?? [],
    ingestTime,
  );
  const summary = finishedSummary(next.passages.length);
  const generation: NewGeneration = {
    ...next,
    manifest: {
      model: {
        name: embedder.info.name,
        dtype: embedder.info.dtype,
        dimension: embedder.info.dimension,
        key: embedder.info.key,
      },
      passages: { version: PASSAGE_VERSION, targetTokens: limits.targetTokens, maxTokens: limits.maxTokens },
      counts: {
        articles: next.articles.length,
        passages: next.passages.length,
        sentences: next.sentenceVectors.rows,
      },
      lastIngest: summary,
    },
  };
  const written = await writeGeneration(indexDir, generation);
  await options.checkpoint?.('generation-written');
  // The summary is timed again here, so that it covers the write phase too.
  const manifest = await commitGeneration(indexDir, {
    ...written,
    lastIngest: finishedSummary(next.passages.length),
  });
  await options.checkpoint?.('committed');
  await pruneGenerations(indexDir, [
    manifest.generation,
    ...(previous ? [previous.manifest.generation] : []),
  ]);
  progress({ phase: 'done', done: 1, total: 1 });
  log.info({ ...manifest.lastIngest, skipped: summary.skipped.length }, 'ingest finished');
  return { summary: manifest.lastIngest, manifest };
}

async function loadPrevious(indexDir: string, log: Logger): Promise<IndexSnapshot | null> {
  try {
    return await loadSnapshot(indexDir);
  } catch (error) {
    log.error({ err: error }, 'the current index could not be read: rebuilding it');
    return null;
  }
}

function isCompatible(manifest: Manifest, embedder: Embedder, limits: PassageLimits): boolean {
  return (
    manifest.model.key === embedder.info.key &&
    manifest.passages.version === PASSAGE_VERSION &&
    manifest.passages.targetTokens === limits.targetTokens &&
    manifest.passages.maxTokens === limits.maxTokens
  );
}
