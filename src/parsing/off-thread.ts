import type { ParsedFile } from '../corpus/article.js';
import type { ExtractedPage } from '../corpus/html-extract.js';
import type { ReadLimits } from '../corpus/read-limits.js';
import type { ParsedFeed } from '../feeds/parse-feed.js';
import { ParseLimitError, parsePool } from './parse-pool.js';

/**
 * The parsing entry points for everything that comes from outside, each run on the parse pool's workers
 * (src/parsing/parse-pool.ts) rather than on the caller's event loop.
 */

/**
 * The articles of a corpus file's bytes (the reader for its extension, whatever the format). A file that
 * needs more time or memory than reading may take is skipped with that reason, like a malformed one.
 */
export async function readFileOffThread(
  bytes: Uint8Array,
  source: string,
  limits?: ReadLimits,
): Promise<ParsedFile & { note?: string }> {
  const numbers = limits
    ? {
        maxPages: limits.maxPages,
        maxTextChars: limits.maxTextChars,
        maxReadMs: limits.maxReadMs,
        maxUnpackedBytes: limits.maxUnpackedBytes,
      }
    : undefined;
  try {
    return await parsePool().run({ kind: 'file', bytes, source, limits: numbers });
  } catch (error) {
    if (error instanceof ParseLimitError)
      return { articles: [], skipped: [{ source, reason: `too costly to read (it ${error.message})` }] };
    throw error;
  }
}

/** The article in a fetched HTML page (see `extractPage`). */
export function extractPageOffThread(html: string, pageUrl: string | null): Promise<ExtractedPage> {
  return parsePool().run({ kind: 'page', html, url: pageUrl });
}

/** The readable text of a feed item's HTML content (see `htmlFragmentText`). */
export function fragmentTextOffThread(html: string): Promise<string> {
  return parsePool().run({ kind: 'fragment', html });
}

/** A feed document (see `parseFeed`); a body that is not a feed rejects with `FeedFormatError`. */
export function parseFeedOffThread(body: string, contentType: string): Promise<ParsedFeed> {
  return parsePool().run({ kind: 'feed', body, contentType });
}
