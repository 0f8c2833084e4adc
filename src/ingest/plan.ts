import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article, SkippedSource, SourceNote } from '../corpus/article.js';
import { finishArticle, listCorpusFiles, loadCorpusFile, statCorpusFile } from '../corpus/read-corpus.js';
import type { ReadLimits } from '../corpus/read-limits.js';
import type { CorpusFile } from '../corpus/walk-corpus.js';
import { describeError, errorCode, UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readFileOffThread } from '../parsing/off-thread.js';
import type { ArticleMeta, FileStamp } from '../store/article-view.js';
import { type Manifest, readManifest } from '../store/manifest.js';
import { type CatalogRead, readCatalog, segmentDamage } from '../store/segment.js';
import type { IndexIdentity, Leaving } from '../store/write.js';
import { sha256 } from '../util/hash.js';

/** An article of the committed index, and the segment that holds it. */
export interface CommittedArticle {
  meta: ArticleMeta;
  segmentId: string;
  /** Its segment failed its checks: the article is read again from the corpus, whatever its stamp says. */
  damaged: boolean;
}

/** A segment of the committed index whose files fail their checks: dropped, its articles read again. */
export interface DamagedSegment {
  segment: string;
  problem: string;
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
  /** Segments found damaged: the commit drops them; their live articles are in `fresh` or `leaving`. */
  damaged: DamagedSegment[];
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
  /** Read every byte of every segment against its checksums (else sizes only). */
  verifyIndex?: boolean;
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
  const { committed, live, rebuild, legacyGeneration, damaged } = await readCommitted(
    indexDir,
    options.identity,
    log,
    options.verifyIndex ?? false,
  );

  const byFile = new Map<string, CommittedArticle[]>();
  for (const article of live.values()) {
    const file = article.meta.source.replace(/#.*$/, '');
    const list = byFile.get(file);
    if (list) list.push(article);
    else byFile.set(file, [article]);
  }

  // The files to look at: all of them, or only those a caller knows changed (feeds, /add, the watcher).
  // A damaged segment's articles may be anywhere in the corpus: then every file is looked at.
  const targeted = rebuild || damaged.length > 0 ? null : await targetFiles(corpusDir, options.changed);
  let files: CorpusFile[];
  const skipped: SkippedSource[] = [];
  if (targeted) {
    files = targeted.files;
    skipped.push(...targeted.skipped);
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
  const looked = await mapLimit(files, FILE_CONCURRENCY, async ({ file, source }) => {
    const known = byFile.get(source) ?? [];
    const result = await lookAt(
      file,
      source,
      known,
      rebuild !== null || known.some((k) => k.damaged),
      options.maxFileBytes,
      (bytes) => readFileOffThread(bytes, source, options.readLimits),
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
      if (previous && previous.meta.hash === article.hash && !rebuild && !previous.damaged) unchanged++;
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
    damaged,
  };
}

/** The committed index and its live articles, or why it must be rebuilt; and its damaged segments. */
async function readCommitted(
  indexDir: string,
  identity: IndexIdentity,
  log: Logger,
  verify: boolean,
): Promise<{
  committed: Manifest | null;
  live: Map<string, CommittedArticle>;
  rebuild: string | null;
  legacyGeneration: string | null;
  damaged: DamagedSegment[];
}> {
  const live = new Map<string, CommittedArticle>();
  const damaged: DamagedSegment[] = [];
  const none = { live, legacyGeneration: null, damaged };
  let read: Awaited<ReturnType<typeof readManifest>>;
  try {
    read = await readManifest(indexDir);
  } catch (error) {
    log.error({ err: error }, 'the index could not be read: rebuilding it');
    return { ...none, committed: null, rebuild: describeError(error) };
  }
  if (read.kind === 'none') return { ...none, committed: null, rebuild: 'there is no index yet' };
  if (read.kind === 'legacy')
    return {
      ...none,
      committed: null,
      rebuild: 'the index was written by an older version of Clipdesk',
      legacyGeneration: read.generation,
    };
  const committed = read.manifest;
  // Another model or splitter: everything is embedded again, but articles already in the archive are
  // still told apart from new ones (they count as updated, and keep their first-seen time).
  const reason = incompatibility(committed, identity);
  try {
    for (const segment of committed.segments) {
      const dir = path.join(indexDir, segment.id);
      const catalog = await cachedCatalog(dir);
      // A segment whose files fail their checks is treated as missing: its articles are read again.
      const problem = reason ? null : await segmentDamage(dir, catalog, verify);
      if (problem) {
        damaged.push({ segment: segment.id, problem });
        log.warn(
          { segment: segment.id, problem },
          'a segment of the index is damaged: reading its articles again',
        );
      }
      const deleted = new Set(segment.deleted);
      for (const meta of catalog.articles) {
        if (!deleted.has(meta.id))
          live.set(meta.id, { meta, segmentId: segment.id, damaged: problem !== null });
      }
    }
  } catch (error) {
    log.error({ err: error }, 'a segment of the index could not be read: rebuilding it');
    live.clear();
    damaged.length = 0;
    return { ...none, committed, rebuild: describeError(error) };
  }
  return { ...none, committed, rebuild: reason };
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
  parse: (bytes: Uint8Array) => ReturnType<typeof readFileOffThread>,
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
 * exists stands for a removed file; a folder, a path outside the corpus, or one that passes through a link
 * to another place inside it falls back to a full scan (which names linked files as the walk does). A path
 * that leads out of the corpus through a linked folder is refused like the walk refuses such links, and
 * whatever the index held under that name leaves it.
 */
async function targetFiles(
  corpusDir: string,
  changed: readonly string[] | undefined,
): Promise<{ files: CorpusFile[]; sources: Set<string>; skipped: SkippedSource[] } | null> {
  if (!changed || changed.length === 0) return null;
  const files: CorpusFile[] = [];
  const sources = new Set<string>();
  const skipped: SkippedSource[] = [];
  let root: string;
  try {
    root = await realpath(corpusDir);
  } catch {
    return null; // the full scan names the problem
  }
  for (const changedPath of changed) {
    const file = path.resolve(corpusDir, changedPath);
    const source = path.relative(corpusDir, file).split(path.sep).join('/');
    if (source === '' || source.startsWith('../') || path.isAbsolute(source)) return null;
    if (source.split('/').some((part) => part.startsWith('.'))) continue; // staging and hidden files
    sources.add(source);
    let info: Awaited<ReturnType<typeof lstat>>;
    let real: string;
    try {
      info = await lstat(file);
      real = await realpath(file);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue; // removed
      return null;
    }
    if (!info.isFile()) return null;
    if (real !== path.join(root, ...source.split('/'))) {
      if (real === root || real.startsWith(root + path.sep)) return null;
      skipped.push({
        source,
        reason: `reached through a link to ${real}, outside the corpus folder: refused`,
      });
      continue;
    }
    files.push({ file, source });
  }
  return { files, sources, skipped };
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
const catalogs = new Map<string, Promise<CatalogRead>>();
const MAX_CACHED_CATALOGS = 256;

async function cachedCatalog(dir: string): Promise<CatalogRead> {
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
