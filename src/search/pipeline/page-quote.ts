import type { PageSpan } from '../../corpus/pages.js';
import type { RelevanceParams } from './params.js';
import { pickQuote, type QuoteChoice, type QuoteInput } from './quote.js';

/**
 * `pickQuote`, kept to one page of a paged document (PDF) where it can be: a quote that would run over a
 * page break is picked again within each page it touches, and the better of those is taken, so that a
 * quote is cited with one page. Only a sentence that itself runs on over a page break still spans two
 * (and is shown as such, "pp. 4–5"). `pagesOf(s)` gives sentence `s`'s pages, null when not paged.
 */
export function pickQuoteOnOnePage(
  input: QuoteInput,
  pagesOf: (sentence: number) => PageSpan | null,
  params: RelevanceParams['sentence'],
): QuoteChoice {
  const quote = pickQuote(input, params);
  const first = pagesOf(quote.first)?.first;
  const last = pagesOf(quote.last)?.first;
  if (first === undefined || last === undefined || first === last) return quote;
  const count = input.sentences.length / 2;
  let best: QuoteChoice | null = null;
  for (let page = first; page <= last; page++) {
    // The sentences starting on this page (consecutive in the body).
    let from = -1;
    let to = -1;
    for (let s = 0; s < count; s++) {
      if (pagesOf(s)?.first !== page) continue;
      if (from < 0) from = s;
      to = s;
    }
    if (from < 0) continue;
    const within = pickQuote(
      {
        ...input,
        sentences: input.sentences.slice(2 * from, 2 * to + 2),
        termsOf: (s) => input.termsOf(s + from),
        similarity: (s) => input.similarity(s + from),
        firstSentence: (input.firstSentence ?? 0) + from,
      },
      params,
    );
    const shifted = { ...within, first: within.first + from, last: within.last + from };
    if (!best || shifted.score > best.score) best = shifted;
  }
  return best ?? quote;
}
