/** One article as the archive holds it. `body` is the text every quote is cut from. */
export interface Article {
  /** Short stable id (hash of `source`), safe for Discord custom ids and feedback records. */
  id: string;
  /** Where it came from: the corpus-relative path, plus `#key` for one record of a .json/.jsonl file. */
  source: string;
  title: string;
  /** ISO date `YYYY-MM-DD`, or null when the article names none. */
  date: string | null;
  outlet: string | null;
  url: string | null;
  author: string | null;
  body: string;
  /**
   * Where each page starts in `body` (character offsets, ascending; the first is 0), for articles read from
   * paged documents (PDF); absent for everything else. Page n is `body.slice(pages[n - 1], pages[n])`.
   */
  pages?: number[];
  /** Hash of everything above but `id`/`source`: a change means the article is re-embedded. */
  hash: string;
}

/** A file (or one record of a file) that was not ingested, with the reason a person can act on. */
export interface SkippedSource {
  source: string;
  reason: string;
}

/** A remark on a file that was read, e.g. `decoded as windows-1252`: worth knowing, not worth skipping. */
export interface SourceNote {
  source: string;
  note: string;
}

/** What a format reader makes of one file. */
export interface ParsedFile {
  articles: ArticleDraft[];
  skipped: SkippedSource[];
}

/** An article before it gets its id and hash. */
export type ArticleDraft = Omit<Article, 'id' | 'hash'>;
