import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReadLimits } from '../corpus/read-limits.js';
import type { Embedder } from '../embedding/embedder.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { FirstSeen } from '../store/first-seen.js';
import { isDiskFull } from '../store/io.js';
import {
  type BackendName,
  type IngestSummary,
  type Manifest,
  readManifest,
  writeManifest,
} from '../store/manifest.js';
import { quotesStale, requoteIndex } from '../store/requote.js';
import { type IndexIdentity, IndexWriter, type WriteStep } from '../store/write.js';
import { LEXICON_VERSION } from '../text/terms.js';
import type { BeforeWrite } from '../util/atomic-write.js';
import { SerialQueue } from '../util/serial-queue.js';
import { embedArticles, type ToEmbed } from './embed-articles.js';
import { acquireIndexLock } from './lock.js';
import { maintainIndex } from './maintain.js';
import type { PassageLimits } from './passages.js';
import { type IngestPlan, planIngest } from './plan.js';

export type { IngestSummary } from '../store/manifest.js';

/** Bump when sentence or passage splitting changes: every article is then re-embedded. */
export const PASSAGE_VERSION = 1;
export const PASSAGE_TARGET_TOKENS = 96;
/** Articles embedded (and handed to the writer) at a time: bounds memory on a large first build. */
const EMBED_CHUNK_ARTICLES = 2000;

export type IngestPhase = 'reading' | 'embedding' | 'writing' | 'done' | 'maintaining';
export interface IngestProgress {
  phase: IngestPhase;
  /** Files read (reading), passages embedded (embedding), or steps done (writing). */
  done: number;
  total: number;
}

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  maxFileBytes: number;
  embedder: Embedder;
  log: Logger;
  /** Where passage vectors live (INDEX_BACKEND); a change rebuilds the index. Default vectra. */
  backend?: BackendName;
  /** Accept an empty corpus over an index that holds articles (`--allow-empty`). */
  allowEmpty?: boolean;
  /**
   * Files known to have changed (written by feeds or /add, seen by the watcher): only they are read.
   * Absent: the whole corpus is read against the index.
   */
  changed?: readonly string[];
  /**
   * Read every byte of every index segment against its checksums (`npm run ingest`, /reindex); otherwise
   * their sizes only. A segment that fails is dropped and its articles are read again from the corpus.
   */
  verifyIndex?: boolean;
  onProgress?: (progress: IngestProgress) => void;
  /** Test seam: called between the steps that a crash could interrupt. */
  checkpoint?: (step: 'embedded' | WriteStep) => void | Promise<void>;
  /** Test seam for storage faults (a full disk). */
  beforeWrite?: BeforeWrite;
  /**
   * Merging small segments and other upkeep, after the commit: run in the background by default (the bot:
   * questions are answered meanwhile), awaited (the CLI, before it exits), or skipped.
   */
  maintenance?: 'background' | 'await' | 'skip';
  /** Injected clock for the recorded times. */
  now?: () => Date;
  /** Bounds on reading one file (PDF pages, time, unpacked size); the defaults when absent. */
  readLimits?: ReadLimits;
}

export interface IngestResult {
  summary: IngestSummary;
  manifest: Manifest;
  /** Article ids by what happened to them (instant alerts and the like use `added`). */
  changes: { added: string[]; updated: string[]; removed: string[] };
}

const queues = new Map<string, SerialQueue>();

function queueFor(indexDir: string): SerialQueue {
  const queue = queues.get(indexDir) ?? new SerialQueue();
  queues.set(indexDir, queue);
  return queue;
}

/**
 * Brings the index in line with the corpus: plan (read and hash the files; parse only what changed),
 * embed (new and changed articles only), apply (write them as a new segment, mask what left, commit).
 * Ingests of one index run one at a time in a process (one queue per index folder), and another process
 * is kept out by the index lock. Upkeep (merging segments) follows in the same queue.
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const queue = queueFor(options.indexDir);
  const result = await queue.run(() => locked(options.indexDir, () => runIngest(options)));
  const mode = options.maintenance ?? 'background';
  if (mode !== 'skip') {
    if (mode === 'await') options.onProgress?.({ phase: 'maintaining', done: 0, total: 1 });
    const upkeep = queue.run(() =>
      locked(options.indexDir, () =>
        maintainIndex(options.indexDir, { log: options.log, beforeWrite: options.beforeWrite }),
      ),
    );
    if (mode === 'await') await upkeep;
    else
      upkeep.catch((error: unknown) =>
        options.log.error({ err: error }, 'index upkeep failed; the index is unchanged'),
      );
  }
  return result;
}

async function locked<T>(indexDir: string, work: () => Promise<T>): Promise<T> {
  const release = await acquireIndexLock(indexDir);
  try {
    return await work();
  } finally {
    await release();
  }
}

async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const { embedder, log, indexDir } = options;
  const now = () => options.now?.() ?? new Date();
  // With an injected clock the duration follows it too (tests), else the monotonic clock.
  const clock = options.now ? () => now().getTime() : () => performance.now();
  const started = clock();
  const ingestTime = now().toISOString();
  const progress = options.onProgress ?? (() => {});
  const limits: PassageLimits = {
    targetTokens: Math.min(PASSAGE_TARGET_TOKENS, embedder.info.maxTokens - embedder.specialTokenCount),
    maxTokens: embedder.info.maxTokens - embedder.specialTokenCount,
    paragraphTokens: Math.round(PASSAGE_TARGET_TOKENS / 2),
  };
  const identity: IndexIdentity = {
    backend: options.backend ?? 'vectra',
    model: {
      name: embedder.info.name,
      dtype: embedder.info.dtype,
      dimension: embedder.info.dimension,
      key: embedder.info.key,
    },
    passages: { version: PASSAGE_VERSION, targetTokens: limits.targetTokens, maxTokens: limits.maxTokens },
    lexicon: { version: LEXICON_VERSION },
  };

  // An index whose quotations another extractor made (or none: format 2) gets them again first, its
  // vectors kept; one that is rebuilt anyway (another model or backend) gets them from the rebuild.
  const before = await readManifest(indexDir).catch(() => null);
  if (
    before?.kind === 'ok' &&
    quotesStale(before.manifest) &&
    before.manifest.backend === identity.backend &&
    before.manifest.model.key === identity.model.key
  ) {
    log.info({ indexDir }, 'extracting the quotations of the indexed articles again');
    await requoteIndex(indexDir, before.manifest, { beforeWrite: options.beforeWrite });
  }

  // Plan.
  progress({ phase: 'reading', done: 0, total: 0 });
  const plan = await planIngest({
    corpusDir: options.corpusDir,
    indexDir,
    maxFileBytes: options.maxFileBytes,
    identity,
    allowEmpty: options.allowEmpty,
    changed: options.changed,
    readLimits: options.readLimits,
    verifyIndex: options.verifyIndex,
    log,
    onFile: (done, total) => progress({ phase: 'reading', done, total }),
  });
  if (plan.rebuild && plan.committed) log.warn({ reason: plan.rebuild }, 'rebuilding the index');
  for (const skipped of plan.skipped) log.warn(skipped, 'article skipped');
  const firstSeen = await FirstSeen.open(indexDir);
  if (plan.legacyGeneration) await carryOverLegacyDates(indexDir, plan.legacyGeneration, firstSeen, log);

  const summaryOf = (passages: number, embedded: { passages: number; tokens: number }): IngestSummary => ({
    ...plan.counts,
    skipped: plan.skipped,
    notes: plan.notes,
    undated: [...new Set(plan.fresh.filter((f) => f.article.date === null).map((f) => f.article.source))],
    articles: plan.articles,
    passages,
    embeddedPassages: embedded.passages,
    embeddedTokens: embedded.tokens,
    parsedFiles: plan.parsedFiles,
    ...(plan.damaged.length > 0 ? { repaired: plan.damaged } : {}),
    seconds: Math.round((clock() - started) / 10) / 100,
    finishedAt: now().toISOString(),
  });
  const changes = {
    added: plan.fresh.filter((f) => !f.previous).map((f) => f.article.id),
    updated: plan.fresh.filter((f) => f.previous).map((f) => f.article.id),
    removed: [] as string[],
  };
  const freshIds = new Set(plan.fresh.map((f) => f.article.id));
  changes.removed = plan.leaving.map((l) => l.articleId).filter((id) => !freshIds.has(id));
  const unchangedIndex =
    !plan.rebuild && plan.fresh.length === 0 && plan.leaving.length === 0 && plan.damaged.length === 0;
  if (unchangedIndex && plan.committed) {
    // Nothing changed: the index stays as it is (its manifest is rewritten only to name a moved corpus).
    progress({ phase: 'done', done: 1, total: 1 });
    let manifest = plan.committed;
    const corpusDir = path.resolve(options.corpusDir);
    if (manifest.corpusDir !== corpusDir) {
      manifest = { ...manifest, corpusDir };
      await writeManifest(indexDir, manifest);
    }
    return {
      summary: summaryOf(manifest.counts.passages, { passages: 0, tokens: 0 }),
      manifest,
      changes,
    };
  }

  // Embed and apply, a chunk of articles at a time.
  const writer = await IndexWriter.begin(indexDir, plan.committed, identity, {
    rebuild: plan.rebuild !== null,
    leaving: plan.leaving,
    drop: plan.damaged.map((d) => d.segment),
    corpusDir: path.resolve(options.corpusDir),
    beforeWrite: options.beforeWrite,
    checkpoint: options.checkpoint,
  });
  const embedded = { passages: 0, tokens: 0 };
  const seen: Array<{ id: string; hash: string; addedAt: string }> = [];
  try {
    const items: ToEmbed[] = plan.fresh.map(({ article, file, previous }) => ({
      article,
      file,
      // An article keeps the time it first entered the archive through updates, rebuilds and moves.
      addedAt: previous?.meta.addedAt ?? firstSeen.lookup(article) ?? ingestTime,
    }));
    let estimate = 0;
    progress({ phase: 'embedding', done: 0, total: items.length });
    for (let from = 0; from < items.length; from += EMBED_CHUNK_ARTICLES) {
      const chunk = items.slice(from, from + EMBED_CHUNK_ARTICLES);
      const result = await embedArticles(chunk, embedder, limits, (done, total) => {
        // Passages of later chunks are not known yet: progress counts articles, refined within a chunk.
        estimate = from + Math.round((done / Math.max(1, total)) * chunk.length);
        progress({ phase: 'embedding', done: estimate, total: items.length });
      });
      embedded.passages += result.passages;
      embedded.tokens += result.tokens;
      await writer.add(result.articles);
      for (const a of result.articles)
        seen.push({ id: a.meta.id, hash: a.meta.hash, addedAt: a.meta.addedAt });
    }
    await options.checkpoint?.('embedded');
    progress({ phase: 'writing', done: 0, total: 1 });
    const manifest = await writer.commit((counts) => summaryOf(counts.passages, embedded));
    // Only once the articles are searchable: a date recorded for an ingest that then failed (killed, disk
    // full) would be earlier than the article's real arrival, and digests would never announce it.
    await firstSeen.record(seen);
    progress({ phase: 'done', done: 1, total: 1 });
    log.info({ ...manifest.lastIngest, skipped: plan.skipped.length }, 'ingest finished');
    return { summary: manifest.lastIngest, manifest, changes };
  } catch (error) {
    await writer.abort();
    if (isDiskFull(error)) {
      throw new UserFacingError(
        `The disk holding ${indexDir} is full: the ingest stopped and the index was left as it was (partial files removed). ` +
          'Free some space and run the ingest again.',
      );
    }
    throw error;
  }
}

/** Reads the first-seen dates of an index written by an older Clipdesk before it is replaced. */
async function carryOverLegacyDates(
  indexDir: string,
  generation: string,
  firstSeen: FirstSeen,
  log: Logger,
): Promise<void> {
  try {
    const articles = JSON.parse(
      await readFile(path.join(indexDir, generation, 'articles.json'), 'utf8'),
    ) as unknown;
    if (!Array.isArray(articles)) return;
    const dated = articles.filter(
      (a): a is { id: string; hash: string; addedAt: string } =>
        typeof a?.id === 'string' && typeof a?.hash === 'string' && typeof a?.addedAt === 'string',
    );
    const n = await firstSeen.record(dated);
    log.info({ articles: n }, 'first-seen dates carried over from the older index');
  } catch (error) {
    log.warn({ err: error }, 'the older index had no readable first-seen dates');
  }
}

export type { IngestPlan };
