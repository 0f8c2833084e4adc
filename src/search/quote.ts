import type { ArticleView } from '../store/article-view.js';
import type { QueryEvidence } from './retrieve.js';
import { analyze } from './terms.js';

/** A verbatim quote: sentences `first..last` of the article, `body.slice(start, end)`. */
export interface QuoteSpan {
  first: number;
  last: number;
  start: number;
  end: number;
  /** Question terms (analysed) the quote contains, for the relevance note. */
  matchedTerms: string[];
}

/** Weight of a sentence's similarity to the question against its share of the question's words. */
const SENTENCE_DENSE_WEIGHT = 1;
/** A neighbour joins the quote when it brings at least this share of the question's words anew. */
const NEW_COVERAGE = 0.1;
/** Shorter than this, a quote takes the next sentence as context (answers tend to follow their topic). */
const MIN_QUOTE_CHARS = 200;
/** A quote grows no longer than this (a single long sentence is kept whole). */
const MAX_QUOTE_CHARS = 700;
const MAX_SENTENCES = 3;

/**
 * Chooses the one to three consecutive sentences of an article that best answer the question: the
 * sentence with the most evidence (the question's words weighted by rarity, plus similarity of meaning),
 * widened by a neighbour that holds more of the question's words, or by the next sentence when the quote
 * would otherwise be too short to read on its own.
 */
export function pickQuote(
  article: ArticleView,
  query: QueryEvidence,
  idf: ReadonlyMap<string, number>,
  maxSentences = MAX_SENTENCES,
): QuoteSpan {
  const count = article.sentenceCount;
  const weights = new Map(query.terms.map((t) => [t, idf.get(t) ?? 0]));
  const totalIdf = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const sentenceTerms: string[][] = [];
  for (let s = 0; s < count; s++) sentenceTerms.push(analyze(article.sentenceText(s)));
  const termsOf = (s: number) => sentenceTerms[s] ?? [];
  const coverage = (terms: Iterable<string>) => {
    let sum = 0;
    for (const t of new Set(terms)) sum += weights.get(t) ?? 0;
    return sum / totalIdf;
  };
  const score = (s: number) =>
    coverage(termsOf(s)) + SENTENCE_DENSE_WEIGHT * article.sentenceSimilarity(s, query.content);
  const chars = (first: number, last: number) => {
    const span = article.spanOf(first, last);
    return span.end - span.start;
  };

  let anchor = 0;
  let anchorScore = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < count; s++) {
    const value = score(s);
    if (value > anchorScore) {
      anchor = s;
      anchorScore = value;
    }
  }

  let first = anchor;
  let last = anchor;
  const covered = new Set(termsOf(anchor).filter((t) => weights.has(t)));
  while (last - first + 1 < Math.min(maxSentences, MAX_SENTENCES)) {
    const options = [last + 1, first - 1].filter((s) => s >= 0 && s < count);
    const gains = options.map((s) => ({
      s,
      gain: coverage(termsOf(s).filter((t) => weights.has(t) && !covered.has(t))),
    }));
    const richest = gains.sort((a, b) => b.gain - a.gain)[0];
    let pick: number | undefined;
    if (richest && richest.gain >= NEW_COVERAGE) pick = richest.s;
    else if (chars(first, last) < MIN_QUOTE_CHARS)
      pick = last + 1 < count ? last + 1 : first - 1 >= 0 ? first - 1 : undefined;
    if (pick === undefined) break;
    const [nextFirst, nextLast] = [Math.min(first, pick), Math.max(last, pick)];
    if (chars(nextFirst, nextLast) > MAX_QUOTE_CHARS) break;
    first = nextFirst;
    last = nextLast;
    for (const t of termsOf(pick)) if (weights.has(t)) covered.add(t);
  }
  const span = article.spanOf(first, last);
  return { first, last, start: span.start, end: span.end, matchedTerms: [...covered] };
}
