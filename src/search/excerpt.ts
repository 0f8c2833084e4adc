import type { PageSpan } from '../corpus/pages.js';

/** An article as a result names it. */
export interface ArticleRef {
  articleId: string;
  /** Corpus-relative path of the article's file (`#key` for one record of a .json/.jsonl file). */
  source: string;
  title: string;
  outlet: string | null;
  date: string | null;
  url: string | null;
}

/** One search result: an article, a verbatim quote from it, and the other articles telling the same story. */
export interface Excerpt extends ArticleRef {
  /** Exactly `body.slice(start, end)` of the stored article. */
  quote: string;
  start: number;
  end: number;
  /** The pages the quote lies on, for an article from a paged document (PDF); null otherwise. */
  pages: PageSpan | null;
  /** The fitted probability (0–1) that this article answers the question (see docs/relevance.md). */
  score: number;
  /** That probability in words. */
  strength: 'Strong match' | 'Good match' | 'Possible match';
  /** Informative words of the quote that the question also uses, as written in the quote. */
  matchedWords: string[];
  /** Near-identical articles (syndicated copies, updated versions) folded into this result. */
  alsoIn: ArticleRef[];
}

export interface SearchResponse {
  question: string;
  /** The page of results asked for (all relevant articles when no limit is given). */
  results: Excerpt[];
  /** How many stories (articles, near-identical ones counted once) cleared the relevance floor in all. */
  total: number;
}

export type SearchOrder = 'relevance' | 'date';
