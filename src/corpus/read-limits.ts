/**
 * Bounds on reading one corpus file, so that a hostile file (a PDF of a million pages, a page that takes
 * minutes, a .docx that unpacks to gigabytes) is reported and skipped instead of hanging an ingest. The
 * file's size is bounded before it is read (`CORPUS_MAX_FILE_MB`); these bound what reading it may cost.
 */
export interface ReadLimits {
  /** Pages of a PDF read at most; the rest are left out, with a note. */
  maxPages: number;
  /** Characters of text taken from one document at most; the rest is left out, with a note. */
  maxTextChars: number;
  /** A document still being read after this long is skipped (checked between pages). */
  maxReadMs: number;
  /** Bytes the parts of a zipped document (.docx) may unpack to, all parts together. */
  maxUnpackedBytes: number;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now: () => number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxPages: 2000,
  maxTextChars: 10_000_000,
  maxReadMs: 120_000,
  maxUnpackedBytes: 256 * 1024 * 1024,
  now: () => performance.now(),
});
