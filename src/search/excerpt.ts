/** One search result: an article and a verbatim quote from it. */
export interface Excerpt {
  articleId: string;
  /** Corpus-relative path of the article's file (`#key` for one record of a .json/.jsonl file). */
  source: string;
  title: string;
  outlet: string | null;
  date: string | null;
  url: string | null;
  /** Exactly `body.slice(start, end)` of the stored article. */
  quote: string;
  start: number;
  end: number;
  /** Fused relevance (lexical share of the question plus dense evidence); the floor is RELEVANCE_FLOOR. */
  score: number;
  /** Words of the quote that the question also uses, as written in the quote. */
  matchedWords: string[];
}

export interface SearchResponse {
  question: string;
  /** The page of results asked for (all relevant articles when no limit is given). */
  results: Excerpt[];
  /** How many articles cleared the relevance floor in all. */
  total: number;
}

export type SearchOrder = 'relevance' | 'date';
