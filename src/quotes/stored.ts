import { z } from 'zod';
import { extractQuotes, type Quotation } from './extract.js';

/**
 * Quotations as the index stores them: in each article's text record (beside the body they point into),
 * and a per-article count by speaker in the segment catalog, which every reader holds in memory, so that
 * the speaker list and a search by speaker never read the text of articles that do not quote the speaker.
 *
 * Bump QUOTES_VERSION when extraction changes: an index whose manifest records another version has its
 * quotations extracted again at the next ingest (its vectors are kept; see store/requote.ts).
 */
export const QUOTES_VERSION = 1;

export const storedQuoteSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  speaker: z.string().nullable(),
  speakerText: z.string().nullable(),
  cue: z.string().nullable(),
});
export type StoredQuote = z.infer<typeof storedQuoteSchema>;

/** Speakers of an article and how many quotations each has there (null speakers are not listed). */
export type SpeakerCounts = Array<[string, number]>;

export function speakerCounts(quotes: readonly Quotation[]): SpeakerCounts {
  const counts = new Map<string, number>();
  for (const q of quotes) if (q.speaker) counts.set(q.speaker, (counts.get(q.speaker) ?? 0) + 1);
  return [...counts];
}

/** An article's quotations and speaker counts, as ingest stores them. */
export function quotesOf(body: string): { quotes: StoredQuote[]; speakers: SpeakerCounts } {
  const quotes = extractQuotes(body);
  return { quotes, speakers: speakerCounts(quotes) };
}
