import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article, SkippedSource, SourceNote } from '../corpus/article.js';
import {
  finishArticle,
  listCorpusFiles,
  loadCorpusFile,
  parseCorpusBytes,
  statCorpusFile,
} from '../corpus/read-corpus.js';
import type { ReadLimits } from '../corpus/read-limits.js';
import type { CorpusFile } from '../corpus/walk-corpus.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ArticleMeta, FileStamp } from '../store/article-view.js';
import { type Manifest, readManifest } from '../store/manifest.js';
import { readCatalog } from '../store/segment.js';
import type { IndexIdentity, Leaving } from '../store/write.js';
import { sha256 } from '../util/hash.js';
import { SerialQueue } from '../util/serial-queue.js';

/** An article of the committed index, and the segment that holds it. */
export interface CommittedArticle {
  meta: ArticleMeta;
  segmentId: string;
}

/** What an ingest will do, decided from hashes before anything is embedded. */
export interface IngestPlan {
  /** The manifest on disk (null when there is none, or it could not be read). */
  committed: Manifest | null;
  /** Why everything is rebuilt, or null when the committed index is updated in place. */
  rebuild: string | null;
  /** Articles to embed: new ones and new versions of changed ones, with their file's stamp. */
  fresh: Array<{ article: Article; file: FileStamp | null; previous: CommittedArticle | null }>;
  leaving: Leaving[];
  counts: { added: number; updated: number; unchanged: number; removed: number };
  /** Articles in the corpus after the ingest. */
  articles: number;
  skipped: SkippedSource[];
  /** Files read with a remark worth knowing (e.g. decoded from windows-1252). */
  notes: SourceNote[];
  /** Files read and parsed (the others were recognised as unchanged by their stamp or hash). */
  parsedFiles: number;
  /** A legacy index's generation folder, whose first-seen dates should be carried over. */
  legacyGeneration: string | null;
}

export interface PlanOptions {
  corpusDir: string;
  indexDir: string;
  maxFileBytes: number;
  identity: IndexIdentity;
  /** Accept an empty corpus over an index that holds articles (everything is removed). */
  allowEmpty?: boolean;
  /**
   * Paths (absolute, or relative to the corpus folder) known to have changed: only they are looked at.
   * Absent or empty: the whole corpus is read against the index.
   */
  changed?: readonly string[];
  /** Bounds on reading one file (PDF pages, time, unpacked size); the defaults when absent. */
  readLimits?: ReadLimits;
  log: Logger;
  onFile?: (done: number, total: number) => void;
}

/**
 * Reads the corpus against the committed index. A file whose size and modification time match what the
 * index recorded is not read; one that was touched but hashes the same is not parsed; only new and changed
 * files are parsed, and only new and changed articles will be embedded.
 */
export async function planIngest(options: PlanOptions): Promise<IngestPlan> {
  const { corpusDir, indexDir, log } = options;
  const { committed, live, rebuild, legacyGeneration } = await readCommitted(indexDir, options.identity, log);

  const byFile = new Map<string, CommittedArticle[]>();
  for (const article of live.values()) {
    const file = article.meta.source.replace(/#.*$/, '');
    const list = byFile.get(file);
    if (list) list.push(article);
    else byFile.set(file, [article]);
  }

  // The files to look at: all of them, or only those a caller knows changed (feeds, /add, the watcher).
  const targeted = rebuild ? null : await targetFiles(corpusDir, options.changed);
  let files: CorpusFile[];
  const skipped: SkippedSource[] = [];
  if (targeted) {
    files = targeted.files;
  } else {
    // A missing or unreadable folder is an error here, never an empty corpus (which would remove everything).
    const listing = await listCorpusFiles(corpusDir);
    files = listing.files;
    skipped.push(...listing.skipped);
    if (files.length === 0 && live.size > 0 && !options.allowEmpty) {
      throw new UserFacingError(
        `The corpus folder ${corpusDir} is empty, but the index holds ${live.size} articles: nothing was removed. ` +
          'If the folder is a share, check that it is mounted. To empty the index on purpose, run `npm run ingest -- --allow-empty`.',
      );
    }
  }

  const seen = new Set<string>();
  const fresh: IngestPlan['fresh'] = [];
  const notes: SourceNote[] = [];
  let unchanged = 0;
  let parsedFiles = 0;
  if (targeted) {
    // Everything outside the changed paths stays as it is.
    for (const [file, articles] of byFile) {
      if (targeted.sources.has(file)) continue;
      for (const a of articles) seen.add(a.meta.id);
      unchanged += articles.length;
    }
  }
  let checked = 0;
  // Files are read a few at a time, but parsed one at a time: parsing is CPU work on this thread, and a
  // PDF's time limit must count its own reading, not its neighbours'.
  const parsing = new SerialQueue();
  const looked = await mapLimit(files, FILE_CONCURRENCY, async ({ file, source }) => {
    const result = await lookAt(
      file,
      source,
      byFile.get(source) ?? [],
      rebuild !== null,
      options.maxFileBytes,
      (bytes) => parsing.run(() => parseCorpusBytes(bytes, source, options.readLimits)),
    );
    options.onFile?.(++checked, files.length);
    return result;
  });
  for (const [i, result] of looked.entries()) {
    const { source } = files[i] as CorpusFile;
    const known = byFile.get(source) ?? [];
    if (result.kind === 'unchanged') {
      for (const k of known) seen.add(k.meta.id);
      unchanged += known.length;
      continue;
    }
    skipped.push(...result.skipped);
    if (result.kind === 'skipped') continue;
    parsedFiles++;
    if (result.note && result.articles.length > 0) notes.push({ source, note: result.note });
    for (const article of result.articles) {
      if (seen.has(article.id)) continue; // the same record twice in one file: the first one counts
      seen.add(article.id);
      const previous = live.get(article.id) ?? null;
      if (previous && previous.meta.hash === article.hash && !rebuild) unchanged++;
      else fresh.push({ article, file: result.stamp, previous });
    }
  }
  options.onFile?.(files.length, files.length);

  const leaving: Leaving[] = [];
  const replaced = new Set(fresh.filter((f) => f.previous).map((f) => f.article.id));
  let removed = 0;
  for (const article of live.values()) {
    if (seen.has(article.meta.id) && !replaced.has(article.meta.id)) continue;
    if (!seen.has(article.meta.id)) removed++;
    leaving.push({
      segmentId: article.segmentId,
      articleId: article.meta.id,
      passages: article.meta.passageCount,
      sentences: article.meta.sentenceCount,
    });
  }
  const updated = fresh.filter((f) => f.previous).length;
  return {
    committed,
    rebuild,
    fresh,
    leaving,
    counts: { added: fresh.length - updated, updated, unchanged, removed },
    articles: seen.size,
    skipped,
    notes,
    parsedFiles,
    legacyGeneration,
  };
}

/** The committed index and its live articles, or why it must be rebuilt. */
async function readCommitted(
  indexDir: string,
  identity: IndexIdentity,
  log: Logger,
): Promise<{
  committed: Manifest | null;
  live: Map<string, CommittedArticle>;
  rebuild: string | null;
  legacyGeneration: string | null;
}> {
  const live = new Map<string, CommittedArticle>();
  let read: Awaited<ReturnType<typeof readManifest>>;
  try {
    read = await readManifest(indexDir);
  } catch (error) {
    log.error({ err: error }, 'the index could not be read: rebuilding it');
    return { committed: null, live, rebuild: (error as Error).message, legacyGeneration: null };
  }
  if (read.kind === 'none')
    return { committed: null, live, rebuild: 'there is no index yet', legacyGeneration: null };
  if (read.kind === 'legacy')
    return {
      committed: null,
      live,
      rebuild: 'the index was written by an older version of Clipdesk',
      legacyGeneration: read.generation,
    };
  const committed = read.manifest;
  // Another model or splitter: everything is embedded again, but articles already in the archive are
  // still told apart from new ones (they count as updated, and keep their first-seen time).
  const reason = incompatibility(committed, identity);
  try {
    for (const segment of committed.segments) {
      const deleted = new Set(segment.deleted);
      for (const meta of await cachedCatalog(path.join(indexDir, segment.id))) {
        if (!deleted.has(meta.id)) live.set(meta.id, { meta, segmentId: segment.id });
      }
    }
  } catch (error) {
    log.error({ err: error }, 'a segment of the index could not be read: rebuilding it');
    live.clear();
    return { committed, live, rebuild: (error as Error).message, legacyGeneration: null };
  }
  return { committed, live, rebuild: reason, legacyGeneration: null };
}

function incompatibility(manifest: Manifest, identity: IndexIdentity): string | null {
  if (manifest.backend !== identity.backend)
    return `the index was built for INDEX_BACKEND=${manifest.backend}, and ${identity.backend} is configured`;
  if (manifest.model.key !== identity.model.key)
    return `the index was built with ${manifest.model.name}, and ${identity.model.name} is configured`;
  if (JSON.stringify(manifest.passages) !== JSON.stringify(identity.passages))
    return 'passage splitting changed since the index was built';
  if (manifest.lexicon.version !== identity.lexicon.version)
    return 'text analysis changed since the index was built';
  return null;
}

/** Files checked at once: stat and read are thread-pool calls, so a few in flight hide their latency. */
const FILE_CONCURRENCY = 16;

type Looked =
  | { kind: 'unchanged' }
  | { kind: 'skipped'; skipped: SkippedSource[] }
  | {
      kind: 'parsed';
      articles: Article[];
      skipped: SkippedSource[];
      note: string | undefined;
      stamp: FileStamp;
    };

/** One file against what the index recorded of it: unchanged (by stamp, then by hash), skipped, or parsed. */
async function lookAt(
  file: string,
  source: string,
  known: CommittedArticle[],
  rebuild: boolean,
  maxFileBytes: number,
  parse: (bytes: Uint8Array) => ReturnType<typeof parseCorpusBytes>,
): Promise<Looked> {
  if (known.length > 0 && !rebuild) {
    const stamp = await statCorpusFile(file);
    if (
      stamp &&
      known.every((k) => k.meta.file?.size === stamp.size && k.meta.file.mtimeMs === stamp.mtimeMs)
    )
      return { kind: 'unchanged' };
  }
  const loaded = await loadCorpusFile(file, source, { maxFileBytes });
  if (!('bytes' in loaded)) return { kind: 'skipped', skipped: loaded.skipped };
  const stamp: FileStamp = { size: loaded.size, mtimeMs: loaded.mtimeMs, hash: sha256(loaded.bytes) };
  if (known.length > 0 && !rebuild && known.every((k) => k.meta.file?.hash === stamp.hash))
    return { kind: 'unchanged' };
  const parsed = await parse(loaded.bytes);
  return {
    kind: 'parsed',
    articles: parsed.articles.map(finishArticle),
    skipped: parsed.skipped,
    note: parsed.note,
    stamp,
  };
}

/**
 * The files behind a list of changed paths, when a caller knows them (feeds and /add name the files they
 * wrote, the watcher the ones it saw change); null means look at the whole corpus. A path that no longer
 * exists stands for a removed file; a folder, a link, or a path outside the corpus falls back to a full scan.
 */
async function targetFiles(
  corpusDir: string,
  changed: readonly string[] | undefined,
): Promise<{ files: CorpusFile[]; sources: Set<string> } | null> {
  if (!changed || changed.length === 0) return null;
  const files: CorpusFile[] = [];
  const sources = new Set<string>();
  for (const changedPath of changed) {
    const file = path.resolve(corpusDir, changedPath);
    const source = path.relative(corpusDir, file).split(path.sep).join('/');
    if (source === '' || source.startsWith('../') || path.isAbsolute(source)) return null;
    if (source.split('/').some((part) => part.startsWith('.'))) continue; // staging and hidden files
    sources.add(source);
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed
      return null;
    }
    if (!info.isFile()) return null;
    files.push({ file, source });
  }
  return { files, sources };
}

/** `fn` over `items` with at most `limit` calls in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Segments never change once written, so their catalogs are parsed once per process: the bot's ingests
 * after each feed item or upload read only the new segment's.
 */
const catalogs = new Map<string, Promise<ArticleMeta[]>>();
const MAX_CACHED_CATALOGS = 256;

async function cachedCatalog(dir: string): Promise<ArticleMeta[]> {
  // Keyed by the file's identity too: a rebuild after damage may reuse a segment's name.
  const info = await stat(path.join(dir, 'catalog.json')).catch(() => null);
  const key = `${dir}:${info?.ino}:${info?.mtimeMs}`;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = readCatalog(dir);
    catalog.catch(() => catalogs.delete(key));
    if (catalogs.size >= MAX_CACHED_CATALOGS) catalogs.delete(catalogs.keys().next().value as string);
    catalogs.set(key, catalog);
  }
  return catalog;
}
