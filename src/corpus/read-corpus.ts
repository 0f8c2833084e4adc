import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '../util/hash.js';
import type { Article, ArticleDraft, ParsedFile, SkippedSource } from './article.js';
import { parseHtmlArticle } from './html-format.js';
import { parseJsonArticles, parseJsonLinesArticles } from './json-format.js';
import { parseMarkdownArticle } from './markdown-format.js';
import { parseTextArticle } from './text-format.js';

const READERS: Record<string, (text: string, source: string) => ParsedFile> = {
  '.txt': parseTextArticle,
  '.md': parseMarkdownArticle,
  '.markdown': parseMarkdownArticle,
  '.json': parseJsonArticles,
  '.jsonl': parseJsonLinesArticles,
  '.ndjson': parseJsonLinesArticles,
  '.html': parseHtmlArticle,
  '.htm': parseHtmlArticle,
};

export const SUPPORTED_EXTENSIONS = Object.keys(READERS);

export interface CorpusReadOptions {
  /** Files larger than this are reported and skipped without being read. */
  maxFileBytes: number;
}

export interface Corpus {
  /** Sorted by source, so ids, ingest order and output are deterministic. */
  articles: Article[];
  skipped: SkippedSource[];
}

/**
 * Reads every article under `dir` (recursively). A file that is empty, binary, unreadable, too large or
 * malformed is listed in `skipped` with its reason; it never stops the others.
 */
export async function readCorpus(dir: string, options: CorpusReadOptions): Promise<Corpus> {
  const files = await listFiles(dir);
  const articles: Article[] = [];
  const skipped: SkippedSource[] = [];
  for (const file of files) {
    const source = path.relative(dir, file).split(path.sep).join('/');
    const result = await readOne(file, source, options);
    skipped.push(...result.skipped);
    articles.push(...result.articles.map(finishArticle));
  }
  articles.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { articles, skipped };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
    .filter(
      (file) =>
        !path
          .relative(dir, file)
          .split(path.sep)
          .some((part) => part.startsWith('.')),
    )
    .sort();
}

async function readOne(
  file: string,
  source: string,
  { maxFileBytes }: CorpusReadOptions,
): Promise<ParsedFile> {
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  const reader = READERS[path.extname(file).toLowerCase()];
  if (!reader) return skip(`unsupported file type (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);

  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) return skip('not a regular file');
    if (info.size > maxFileBytes)
      return skip(`too large (${formatBytes(info.size)}; the limit is ${formatBytes(maxFileBytes)})`);
    bytes = await readFile(file);
  } catch (error) {
    return skip(`unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length === 0) return skip('empty file');
  const text = decodeText(bytes);
  if (text === null) return skip('binary or not UTF-8 text');
  if (text.trim() === '') return skip('empty file (only blank space)');
  try {
    return reader(text, source);
  } catch (error) {
    return skip(`could not be parsed: ${(error as Error).message}`);
  }
}

/** UTF-8 text without a byte-order mark, or null for binary content. */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.subarray(0, 8192).includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function finishArticle(draft: ArticleDraft): Article {
  const { source, title, date, outlet, url, author, body } = draft;
  return {
    id: sha256(source, 12),
    source,
    title,
    date,
    outlet,
    url,
    author,
    body,
    hash: sha256(JSON.stringify([title, date, outlet, url, author, body])),
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
