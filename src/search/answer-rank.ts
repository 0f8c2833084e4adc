import type { QuoteChoice } from './quote.js';

/** How many of the best articles are re-read for how well their quote answers. */
const DEPTH = 10;
/** Weight of the quote's own score (its share of the question's words, closeness, answer evidence). */
const QUOTE_WEIGHT = 0.3;
/** What a title holding all the question's words adds (titles name the story; quotes rarely repeat them). */
const TITLE_WEIGHT = 0.2;

/**
 * Orders the articles that answer the question: among the best few, an article whose best quote answers
 * well (it holds the question's words together, close in meaning, with what the question asks for) and
 * whose title names the question's subject goes first. The best passage finds an article; the quote and
 * the title decide between close ones. Returns new hits, best first; hits beyond the first few keep their
 * order and scores.
 */
export function rankByAnswer<H extends { score: number }>(
  hits: readonly H[],
  quoteOf: (hit: H) => QuoteChoice,
  titleShare: (hit: H) => number,
): H[] {
  const sorted = [...hits].sort((a, b) => b.score - a.score);
  const head = sorted.slice(0, DEPTH).map((hit) => ({
    ...hit,
    score: hit.score + QUOTE_WEIGHT * quoteOf(hit).score + TITLE_WEIGHT * titleShare(hit),
  }));
  head.sort((a, b) => b.score - a.score);
  return [...head, ...sorted.slice(DEPTH)];
}
