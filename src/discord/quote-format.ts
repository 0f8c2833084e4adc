import type { QuoteHit } from '../quotes/search.js';
import type { SearchFilters } from '../search/filters.js';
import {
  answerButtons,
  describeFilters,
  embedsWithQuotes,
  NO_MENTIONS,
  type ReplyPayload,
  sourceLine,
} from './answer-format.js';
import { LIMITS, truncateWords } from './limits.js';
import { plain } from './markdown.js';

export interface QuotesView {
  answerId: string;
  /** The speaker as the person typed it, and the topic. */
  speaker: string;
  about: string | null;
  filters: SearchFilters;
  /** This page's quotations. */
  results: QuoteHit[];
  total: number;
  page: number;
  perPage: number;
  shareable: boolean;
  sharedBy?: string;
  /** A line above the results (e.g. why a question got quotations). */
  note?: string;
}

const COLOUR = 0x6f4f9f;

/**
 * Quotations as a Discord message, paged like /ask (its buttons, its limits): one embed per quotation
 * with the words verbatim as a block quote, the title linked, outlet and date, and who said it: the name
 * the archive resolved, the speaker as the article writes it, and the cue.
 */
export function renderQuotes(view: QuotesView): ReplyPayload {
  const { results, total, page, perPage } = view;
  const first = page * perPage + 1;
  const last = page * perPage + results.length;
  const heading = [
    view.sharedBy ? `Shared by <@${view.sharedBy}>` : null,
    view.note ?? null,
    `**Quotations:** ${plain(view.speaker)}${view.about ? ` about ${plain(view.about)}` : ''}`,
    describeFilters(view.filters),
    total > results.length
      ? `Quotations ${first}–${last} of ${total}`
      : `${total} quotation${total === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join('\n');
  const frames = results.slice(0, LIMITS.embeds).map((r) => ({
    title: truncateWords(plain(r.article.title), LIMITS.embedTitle),
    url: r.article.url ?? undefined,
    author: { name: truncateWords(plain(sourceLine(r.article)), LIMITS.authorName) },
    footer: {
      text:
        truncateWords(whoSaid(r), 300) +
        (r.article.url ? '' : `\nFile: ${truncateWords(r.article.source, 150)}`),
    },
  }));
  const embeds = embedsWithQuotes(
    frames,
    results.slice(0, frames.length).map((r) => r.quote),
    COLOUR,
  );
  return {
    content: truncateWords(heading, LIMITS.content),
    embeds,
    components: [answerButtons(view, last < total)],
    allowedMentions: NO_MENTIONS,
  };
}

/** "Tony Blair · as written: Mr Blair · said" */
function whoSaid(r: QuoteHit): string {
  const written = r.speakerText && r.speakerText !== r.speaker ? `as written: ${r.speakerText}` : null;
  return [r.speaker, written, r.cue].filter(Boolean).join(' · ');
}

/** The plain answer for someone the archive never quotes. */
export function noQuotationsLine(speaker: string): string {
  return `No direct quotations from ${plain(speaker)} in the archive.`;
}
