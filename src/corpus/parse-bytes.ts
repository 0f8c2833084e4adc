import path from 'node:path';
import { describeError } from '../errors.js';
import type { ParsedFile } from './article.js';
import { decodeText } from './decode-text.js';
import { parseDocxArticle } from './docx-format.js';
import { parseHtmlArticle } from './html-format.js';
import { parseJsonArticles, parseJsonLinesArticles } from './json-format.js';
import { parseMarkdownArticle } from './markdown-format.js';
import { parsePdfArticle } from './pdf-format.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-limits.js';
import { parseTextArticle } from './text-format.js';
import { parseXmlArticles } from './xml-format.js';

/** A reader of text formats: the file's decoded text to its articles. */
type TextReader = (text: string, source: string) => ParsedFile;
/** A reader of binary formats (PDF, Word): the file's bytes to its articles, within the read limits. */
type ByteReader = (
  bytes: Uint8Array,
  source: string,
  limits: ReadLimits,
) => Promise<ParsedFile & { note?: string }>;

const TEXT_READERS: Record<string, TextReader> = {
  '.txt': parseTextArticle,
  '.md': parseMarkdownArticle,
  '.markdown': parseMarkdownArticle,
  '.json': parseJsonArticles,
  '.jsonl': parseJsonLinesArticles,
  '.ndjson': parseJsonLinesArticles,
  '.html': parseHtmlArticle,
  '.htm': parseHtmlArticle,
  '.xml': parseXmlArticles,
  '.nitf': parseXmlArticles,
  '.newsml': parseXmlArticles,
};

const BYTE_READERS: Record<string, ByteReader> = {
  '.pdf': parsePdfArticle,
  '.docx': parseDocxArticle,
};

export const SUPPORTED_EXTENSIONS = [...Object.keys(TEXT_READERS), ...Object.keys(BYTE_READERS)];

export function isSupported(source: string): boolean {
  const ext = path.extname(source.replace(/#.*$/, '')).toLowerCase();
  return Object.hasOwn(TEXT_READERS, ext) || Object.hasOwn(BYTE_READERS, ext);
}

/**
 * The articles of a file's bytes: read by the reader for its extension (binary formats from the bytes,
 * text formats once decoded). A PDF is read as a PDF whatever its name says. Every reader is a plain
 * function of the bytes, the name and the limits, with no state of its own. It runs in the calling thread;
 * the ingest and the bot call it through `readFileOffThread` (src/parsing), which runs it on a worker,
 * bounded in time and memory.
 */
export async function parseCorpusBytes(
  bytes: Uint8Array,
  source: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<ParsedFile & { note?: string }> {
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  const ext = path.extname(source.replace(/#.*$/, '')).toLowerCase();
  const byteReader =
    (Object.hasOwn(BYTE_READERS, ext) ? BYTE_READERS[ext] : undefined) ??
    (startsAsPdf(bytes) ? parsePdfArticle : undefined);
  const reader = Object.hasOwn(TEXT_READERS, ext) ? TEXT_READERS[ext] : undefined;
  if (!byteReader && !reader)
    return skip(`unsupported file type (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
  if (bytes.length === 0) return skip('empty file');
  if (byteReader) {
    try {
      return await byteReader(bytes, source, limits);
    } catch (error) {
      return skip(`could not be parsed: ${describeError(error)}`);
    }
  }
  const decoded = decodeText(bytes);
  if (decoded === null) return skip('binary, not text');
  if (decoded.text.trim() === '') return skip('empty file (only blank space)');
  const note = decoded.encoding === 'utf-8' ? undefined : `decoded as ${ENCODING_NAMES[decoded.encoding]}`;
  try {
    return { ...(reader as TextReader)(decoded.text, source), note };
  } catch (error) {
    return skip(`could not be parsed: ${describeError(error)}`);
  }
}

function startsAsPdf(bytes: Uint8Array): boolean {
  return bytes.length > 5 && Buffer.from(bytes.buffer, bytes.byteOffset, 5).toString('latin1') === '%PDF-';
}

const ENCODING_NAMES = {
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'windows-1252 (Latin-1), not UTF-8',
} as const;
