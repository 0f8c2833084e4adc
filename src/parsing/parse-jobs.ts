import type { ParsedFile } from '../corpus/article.js';
import { type ExtractedPage, extractPage, htmlFragmentText } from '../corpus/html-extract.js';
import { parseCorpusBytes } from '../corpus/parse-bytes.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../corpus/read-limits.js';
import { type ParsedFeed, parseFeed } from '../feeds/parse-feed.js';

/**
 * The parsing done off the bot's event loop, as messages a worker can run: a corpus file (the whole reader
 * seam: bytes and name to articles, whatever the format), a fetched web page, a feed item's HTML, a feed.
 */
export type ParseJob =
  | { kind: 'file'; bytes: Uint8Array; source: string; limits?: Omit<ReadLimits, 'now'> }
  | { kind: 'page'; html: string; url: string | null }
  | { kind: 'fragment'; html: string }
  | { kind: 'feed'; body: string; contentType: string };

/** What each kind of job returns. */
export interface ParseResults {
  file: ParsedFile & { note?: string };
  page: ExtractedPage;
  fragment: string;
  feed: ParsedFeed;
}

/** A job's answer from the worker: its result, or the error it threw (name and message). */
export type ParseReply =
  | { id: number; value: unknown }
  | { id: number; error: { name: string; message: string } };

/** A job as the pool sends it. */
export interface ParseRequest {
  id: number;
  job: ParseJob;
}

/** What a worker says once it is ready for jobs. */
export const READY = 'ready';

/** Runs one request and words the answer (the worker's side of the pool). */
export async function answer({ id, job }: ParseRequest): Promise<ParseReply> {
  try {
    return { id, value: await runParseJob(job) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { id, error: { name: e.name, message: e.message } };
  }
}

/** Runs one job in the calling thread. */
export function runParseJob(job: ParseJob): unknown {
  switch (job.kind) {
    case 'file':
      // A clock cannot cross to a worker: the limits come as numbers and the worker's own clock times them.
      return parseCorpusBytes(job.bytes, job.source, { ...DEFAULT_READ_LIMITS, ...job.limits });
    case 'page':
      return extractPage(job.html, job.url);
    case 'fragment':
      return htmlFragmentText(job.html);
    case 'feed':
      return parseFeed(job.body, job.contentType);
  }
}
