import { splitSentences } from '../ingest/sentences.js';
import { blockQuote } from './markdown.js';

/** Marks that a quote goes on beyond what is shown; it stands outside the block quote. */
export const OMISSION = '[…]';

/**
 * The longest rendering of a quote that fits `max` characters: whole sentences from the start; when even
 * the first sentence is too long, its words up to a word boundary. What is shown is always a verbatim
 * prefix of the quote; anything left out is marked by `[…]` on its own line, outside the quote.
 */
export function fitQuote(quote: string, max: number): { text: string; shortened: boolean } {
  const full = blockQuote(quote);
  if (full.length <= max) return { text: full, shortened: false };
  const room = max - OMISSION.length - 1;
  const ends = splitSentences(quote).map((s) => s.end);
  let best = '';
  for (const end of ends) {
    const rendered = blockQuote(quote.slice(0, end));
    if (rendered.length > room) break;
    best = rendered;
  }
  if (best === '') {
    // One sentence longer than the room: whole words of it.
    const words = [...quote.matchAll(/\S+/g)];
    for (const word of words) {
      const end = (word.index ?? 0) + word[0].length;
      const rendered = blockQuote(quote.slice(0, end));
      if (rendered.length > room) break;
      best = rendered;
    }
  }
  return { text: best === '' ? OMISSION : `${best}\n${OMISSION}`, shortened: true };
}

/**
 * Renders several quotes within one shared budget (a message's 6,000 embed characters). Every quote first
 * gets its opening sentence; what is left goes, a whole sentence at a time and best result first, to the
 * quotes that are longer. Only when the opening sentences alone do not fit is each quote cut to an equal
 * share, at a word boundary.
 */
export function fitQuotes(quotes: string[], budget: number, maxEach = 4096): string[] {
  const options = quotes.map((quote) => sentenceRenderings(quote).filter((r) => r.length <= maxEach));
  if (
    options.some((o) => o.length === 0) ||
    options.reduce((n, o) => n + (o[0] as string).length, 0) > budget
  ) {
    const share = Math.min(maxEach, Math.floor(budget / Math.max(1, quotes.length)));
    return quotes.map((quote) => fitQuote(quote, share).text);
  }
  const chosen = options.map(() => 0);
  let used = options.reduce((n, o) => n + (o[0] as string).length, 0);
  for (let grew = true; grew; ) {
    grew = false;
    options.forEach((o, i) => {
      const at = chosen[i] as number;
      const next = o[at + 1];
      if (next === undefined) return;
      const extra = next.length - (o[at] as string).length;
      if (used + extra > budget) return;
      chosen[i] = at + 1;
      used += extra;
      grew = true;
    });
  }
  return options.map((o, i) => o[chosen[i] as number] as string);
}

/** The quote rendered with its first 1, 2, … sentences (the last one whole, without the omission mark). */
function sentenceRenderings(quote: string): string[] {
  const ends = splitSentences(quote).map((s) => s.end);
  return ends.map((end, k) =>
    k === ends.length - 1 ? blockQuote(quote) : `${blockQuote(quote.slice(0, end))}\n${OMISSION}`,
  );
}
