import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { describeError, errorCode } from '../errors.js';
import { readFileOffThread } from '../parsing/off-thread.js';
import { sha256 } from '../util/hash.js';
import type { Article, ArticleDraft, ParsedFile, SkippedSource, SourceNote } from './article.js';
import { isSupported, SUPPORTED_EXTENSIONS } from './parse-bytes.js';
import type { ReadLimits } from './read-limits.js';
import { type CorpusListing, walkCorpus } from './walk-corpus.js';

export interface CorpusReadOptions {
  /** Files larger than this are reported and skipped without being read. */
  maxFileBytes: number;
  /** Bounds on reading one file (pages, time, unpacked size); the defaults when absent. */
  limits?: ReadLimits;
}

export interface Corpus {
  /** Sorted by source, so ids, ingest order and output are deterministic. */
  articles: Article[];
  skipped: SkippedSource[];
  /** Files read with a remark a person may want to act on (e.g. `decoded as windows-1252`). */
  notes: SourceNote[];
}

/**
 * Reads every article under `dir` (recursively; see `walkCorpus` for links). A file that is empty,
 * binary, unreadable, too large or malformed is listed in `skipped` with its reason; it never stops the
 * others. A missing or unreadable `dir` is an error: an empty result would read as "every article removed".
 * (The ingest reads the corpus file by file against the index instead: see src/ingest/plan.ts.)
 */
export async function readCorpus(dir: string, options: CorpusReadOptions): Promise<Corpus> {
  const listing = await listCorpusFiles(dir);
  const articles: Article[] = [];
  const skipped: SkippedSource[] = [...listing.skipped];
  const notes: SourceNote[] = [];
  for (const { file, source } of listing.files) {
    const loaded = await loadCorpusFile(file, source, options);
    const result: ParsedFile & { note?: string } =
      'bytes' in loaded ? await readFileOffThread(loaded.bytes, source, options.limits) : loaded;
    skipped.push(...result.skipped);
    if (result.note && result.articles.length > 0) notes.push({ source, note: result.note });
    articles.push(...result.articles.map(finishArticle));
  }
  articles.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  skipped.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { articles, skipped, notes };
}

/** The files of the corpus (links followed inside it only) and what was not followed, sorted by source. */
export function listCorpusFiles(dir: string): Promise<CorpusListing> {
  return walkCorpus(dir);
}

// Never follow a link swapped in after the walk, and never wait on a FIFO.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A file's bytes with its size and modification time, or the reason it is skipped unread. */
export async function loadCorpusFile(
  file: string,
  source: string,
  { maxFileBytes }: CorpusReadOptions,
): Promise<{ bytes: Buffer; size: number; mtimeMs: number } | ParsedFile> {
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  if (!isSupported(source))
    return skip(`unsupported file type (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
  try {
    const handle = await open(file, OPEN_FLAGS);
    try {
      const info = await handle.stat();
      if (!info.isFile()) return skip('not a regular file');
      if (info.size > maxFileBytes)
        return skip(`too large (${formatBytes(info.size)}; the limit is ${formatBytes(maxFileBytes)})`);
      return { bytes: await handle.readFile(), size: info.size, mtimeMs: info.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return skip(`unreadable (${errorCode(error) ?? describeError(error)})`);
  }
}

/** File stat for the plan: size and modification time, or null when it cannot be read. */
export async function statCorpusFile(file: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

export function finishArticle(draft: ArticleDraft): Article {
  const { source, title, date, outlet, url, author, body, pages } = draft;
  const hashed: unknown[] = [title, date, outlet, url, author, body];
  // Only paged articles hash their pages, so that every other article keeps the hash it had.
  if (pages) hashed.push(pages);
  return {
    id: sha256(source, 12),
    source,
    title,
    date,
    outlet,
    url,
    author,
    body,
    ...(pages ? { pages } : {}),
    hash: sha256(JSON.stringify(hashed)),
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
