import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { formatPages } from '../corpus/pages.js';
import type { ArticleRef, Excerpt } from '../search/excerpt.js';
import type { SearchFilters } from '../search/filters.js';
import { askIds } from './custom-ids.js';
import { LIMITS, truncateWords } from './limits.js';
import { plain } from './markdown.js';
import { fitQuotes } from './quote-fit.js';

/** A reply as discord.js takes it; `allowedMentions` always parses nothing. */
export interface ReplyPayload {
  content: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  allowedMentions: { parse: []; repliedUser?: false };
}

export interface AnswerView {
  answerId: string;
  question: string;
  filters: SearchFilters;
  /** This page's results (at most `perPage`). */
  results: Excerpt[];
  /** Relevant articles in all. */
  total: number;
  page: number;
  perPage: number;
  /** Offer the Share button (the answer is private). */
  shareable: boolean;
  /** Who shared it (always the asker), shown (not pinged) on a shared answer. */
  sharedBy?: string;
  /** Offer "Follow up in a thread" (a public answer in a server channel, not already in a thread). */
  followUp?: boolean;
  /** Offer "🔔 Alert me" (default true). */
  alert?: boolean;
  /** The channel's scope in words, shown under the question (null: the whole archive). */
  scopeNote?: string | null;
}

export const NO_MENTIONS = { parse: [] as [] };

/** Brand colour of answer embeds. */
const COLOUR = 0x2f6f9f;

/**
 * The answer to a question as a Discord message: one embed per article with the verbatim quote as a
 * block quote, the title linked when the article has a url, outlet and date, and a relevance note; buttons
 * to page, share and give feedback. Within every Discord limit by construction.
 */
export function renderAnswer(view: AnswerView): ReplyPayload {
  const { results, total, page, perPage } = view;
  if (results.length === 0) return renderNothing(view);
  const first = page * perPage + 1;
  const last = page * perPage + results.length;
  const heading = [
    view.sharedBy ? `Shared by <@${view.sharedBy}>` : null,
    `**Question:** ${plain(view.question)}`,
    view.scopeNote ? `Channel scope: ${plain(view.scopeNote)}` : null,
    describeFilters(view.filters),
    total > results.length
      ? `Articles ${first}–${last} of ${total}`
      : `${total} article${total === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join('\n');

  const frames = results.slice(0, LIMITS.embeds).map((r) => ({
    title: truncateWords(plain(r.title), LIMITS.embedTitle),
    url: r.url ?? undefined,
    author: {
      name: truncateWords(plain(sourceLine(r, r.pages ? formatPages(r.pages) : null)), LIMITS.authorName),
    },
    footer: { text: `${truncateWords(relevanceNote(r), 300)}${fileLine(r)}` },
    ...(r.alsoIn.length > 0
      ? { fields: [{ name: 'Also in', value: alsoInList(r.alsoIn, alsoInRoom(results.length)) }] }
      : {}),
  }));
  const embeds = embedsWithQuotes(
    frames,
    results.slice(0, frames.length).map((r) => r.quote),
  );

  return {
    content: truncateWords(heading, LIMITS.content),
    embeds,
    components: [answerButtons(view, last < total), ...deskRow(view)],
    allowedMentions: NO_MENTIONS,
  };
}

function renderNothing(view: AnswerView): ReplyPayload {
  const where = describeFilters(view.filters);
  const content =
    view.page > 0
      ? `No more articles answer **${plain(view.question)}**.`
      : [
          `Nothing in the archive answers **${plain(view.question)}**${where ? ` (${where.toLowerCase()})` : ''}.`,
          'Try other words, a name or a place from the story, or fewer filters; `/sources` lists what the archive holds.',
          ...(view.scopeNote ? [`This channel sees only ${plain(view.scopeNote)}.`] : []),
        ].join('\n');
  return {
    content: truncateWords(content, LIMITS.content),
    embeds: [],
    // Nothing yet: the question can still be followed up on, or alerted on when an article answers it.
    components: view.page > 0 ? [] : deskRow(view),
    allowedMentions: NO_MENTIONS,
  };
}

export function answerButtons(
  view: Pick<AnswerView, 'answerId' | 'page' | 'shareable' | 'sharedBy'>,
  hasMore: boolean,
): APIActionRowComponent<APIButtonComponent> {
  const buttons: APIButtonComponent[] = [];
  type Style = ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success;
  const button = (custom_id: string, label: string, style: Style): APIButtonComponent => ({
    type: ComponentType.Button,
    custom_id,
    label,
    style,
  });
  if (view.page > 0) {
    buttons.push(
      button(
        askIds.page(view.answerId, view.page - 1, view.sharedBy !== undefined),
        '◀ Back',
        ButtonStyle.Secondary,
      ),
    );
  }
  if (hasMore)
    buttons.push(
      button(
        askIds.page(view.answerId, view.page + 1, view.sharedBy !== undefined),
        'More ▶',
        ButtonStyle.Primary,
      ),
    );
  if (view.shareable)
    buttons.push(button(askIds.share(view.answerId, view.page), 'Share', ButtonStyle.Success));
  buttons.push(button(askIds.vote(view.answerId, view.page, 'up'), '👍', ButtonStyle.Secondary));
  buttons.push(button(askIds.vote(view.answerId, view.page, 'down'), '👎', ButtonStyle.Secondary));
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The research desk's buttons: follow up in a thread, and an alert by DM. */
function deskRow(view: AnswerView): Array<APIActionRowComponent<APIButtonComponent>> {
  const buttons: APIButtonComponent[] = [];
  if (view.followUp)
    buttons.push({
      type: ComponentType.Button,
      custom_id: askIds.thread(view.answerId, view.page),
      label: 'Follow up in a thread',
      style: ButtonStyle.Secondary,
    });
  if (view.alert !== false)
    buttons.push({
      type: ComponentType.Button,
      custom_id: askIds.alert(view.answerId, view.page),
      label: '🔔 Alert me',
      style: ButtonStyle.Secondary,
    });
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** Most articles named in one "Also in" field; the rest are counted. */
const MAX_ALSO_IN = 5;
/** Room for all "Also in" fields of a message together, so that the quotes keep most of the 6,000. */
const ALSO_IN_TOTAL = 1800;

/** Room for one result's "Also in" field (well within Discord's 1,024). */
function alsoInRoom(results: number): number {
  return Math.min(400, Math.floor(ALSO_IN_TOTAL / Math.max(1, Math.min(results, LIMITS.embeds))));
}

/**
 * The other articles telling the same story, one a line: the title (linked when the article has a url
 * short enough), outlet and date, escaped. Lines that do not fit are counted instead ("… and 2 more").
 */
export function alsoInList(others: readonly ArticleRef[], room = 400): string {
  const lines: string[] = [];
  for (const other of others.slice(0, MAX_ALSO_IN)) {
    const title = truncateWords(plain(other.title), Math.min(120, Math.floor(room / 2)));
    const source = truncateWords(plain(sourceLine(other)), Math.floor(room / 4));
    const linked = other.url ? `[${title}](${other.url.replace(/\)/g, '%29')}) · ${source}` : '';
    const line = linked && linked.length <= room / 2 ? linked : `${title} · ${source}`;
    if ([...lines, line].join('\n').length > room) break;
    lines.push(line);
  }
  const rest = (kept: string[]) => others.length - kept.length;
  // "\n… and N more" takes at most 20 characters more.
  while (rest(lines) > 0 && lines.length > 0 && lines.join('\n').length > room - 20) lines.pop();
  const more = rest(lines);
  return more > 0 ? `${lines.join('\n')}\n… and ${more} more`.trimStart() : lines.join('\n');
}

/** Outlet and date, and the quote's page ("p. 4", "pp. 4–5") when the article is a paged document. */
export function sourceLine(r: Pick<ArticleRef, 'outlet' | 'date'>, pages: string | null = null): string {
  return [r.outlet ?? 'Outlet not recorded', r.date ? formatDate(r.date) : 'undated', pages]
    .filter(Boolean)
    .join(' · ');
}

/** Where an article without a url lives (its corpus file), so that an editor can find it. */
function fileLine(r: Excerpt): string {
  return r.url ? '' : `\nFile: ${truncateWords(r.source, 150)}`;
}

/** `2024-08-28` → `28 Aug 2024`, unambiguous in every locale. */
export function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** How strong the match is, in words, and which of the question's words the quote shares. */
export function relevanceNote(r: Excerpt): string {
  // The fitted probability that the article answers, in words (see docs/relevance.md).
  const strength = `${r.strength} (${Math.round(r.score * 100)}%)`;
  const words = r.matchedWords.slice(0, 6).join(', ');
  return words ? `${strength} · words in common: ${words}` : `${strength} · close in meaning`;
}

export function describeFilters(filters: SearchFilters): string | null {
  const parts = [
    filters.outlet ? `outlet ${filters.outlet}` : null,
    filters.since ? `since ${filters.since}` : null,
    filters.until ? `until ${filters.until}` : null,
  ].filter(Boolean);
  return parts.length ? `Only ${plain(parts.join(', '))}` : null;
}

/** An embed without its quote: what takes room before the quotes share the rest. */
export interface EmbedFrame {
  title: string;
  url?: string;
  author: { name: string };
  footer: { text: string };
  fields?: Array<{ name: string; value: string }>;
}

/**
 * The embeds with their quotes: what is left of the 6,000 characters Discord allows a message's embeds is
 * shared by the quotes (none past 4,096), each cut at a word if it must be.
 */
export function embedsWithQuotes(
  frames: readonly EmbedFrame[],
  quotes: string[],
  colour = COLOUR,
): APIEmbed[] {
  const fixed = frames.reduce(
    (n, f) =>
      n +
      f.title.length +
      f.author.name.length +
      f.footer.text.length +
      (f.fields ?? []).reduce((m, field) => m + field.name.length + field.value.length, 0),
    0,
  );
  const fitted = fitQuotes(quotes, LIMITS.embedTotal - fixed - 50);
  return frames.map((frame, i) => ({ ...frame, description: fitted[i] as string, color: colour }));
}
