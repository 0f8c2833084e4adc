import { matchesFilters, type SearchFilters, sameOutlet, validateFilters } from '../search/filters.js';
import type { ArticleMeta, ArticleView } from '../store/article-view.js';
import { analyze } from '../text/terms.js';
import { matchesSpeaker, speakerKey } from './speaker-match.js';

/**
 * Quotations by speaker, optionally about a topic, over an open index. Works from the speaker counts
 * every reader holds in memory (segment catalogs), so only the articles that quote the speaker are read.
 * No discord.js: the CLI and the bot share it.
 */

/** What the search needs of an open index (a SearchService or an ArchiveReader). */
export interface QuoteSource {
  readonly articles: readonly ArticleMeta[];
  views(articleIds: string[]): Promise<ArticleView[]>;
}

/** A query's text as a unit vector for comparing with sentence vectors (the embedder's content vector). */
export type EmbedAbout = (text: string) => Promise<Float32Array>;

export interface QuoteQuery extends SearchFilters {
  speaker: string;
  about?: string | null;
  limit?: number;
  /** Only these articles (a query with a file). */
  articleIds?: ReadonlySet<string> | null;
  /** Default: relevance when `about` is given, else newest first. */
  order?: 'date' | 'relevance';
}

export interface QuoteHit {
  article: ArticleMeta;
  start: number;
  end: number;
  /** `body.slice(start, end)` of the stored text. */
  quote: string;
  speaker: string;
  speakerText: string | null;
  cue: string | null;
  /** Relevance to `about` (0 without one). */
  score: number;
}

export interface SpeakerEntry {
  name: string;
  quotes: number;
  articles: number;
  first: string | null;
  last: string | null;
}

export const DEFAULT_QUOTE_LIMIT = 100;

const lists = new WeakMap<readonly ArticleMeta[], SpeakerEntry[]>();

/**
 * Every speaker the archive quotes, most quoted first: for autocomplete and `--speakers`. Kept per
 * article list (a reader's list never changes; a new ingest makes a new reader and a new list).
 */
export function speakerList(articles: readonly ArticleMeta[]): SpeakerEntry[] {
  const known = lists.get(articles);
  if (known) return known;
  const list = buildSpeakerList(articles);
  lists.set(articles, list);
  return list;
}

/** Autocomplete choices for a speaker option: names matching what was typed (any word's start), most quoted first. */
export function speakerChoices(
  articles: readonly ArticleMeta[],
  typed: string,
): Array<{ name: string; value: string }> {
  const needle = typed.trim().toLocaleLowerCase('en');
  return speakerList(articles)
    .filter(
      (s) =>
        s.name.length <= 100 &&
        (needle === '' ||
          matchesSpeaker(typed, s.name) ||
          s.name
            .toLocaleLowerCase('en')
            .split(/\s+/)
            .some((w) => w.startsWith(needle)) ||
          s.name.toLocaleLowerCase('en').startsWith(needle)),
    )
    .slice(0, 25)
    .map((s) => ({
      name: `${s.name} (${s.quotes} quotation${s.quotes === 1 ? '' : 's'})`.slice(0, 100),
      value: s.name,
    }));
}

function buildSpeakerList(articles: readonly ArticleMeta[]): SpeakerEntry[] {
  const byName = new Map<string, SpeakerEntry>();
  for (const article of articles) {
    for (const [name, count] of article.speakers ?? []) {
      const entry = byName.get(name) ?? { name, quotes: 0, articles: 0, first: null, last: null };
      entry.quotes += count;
      entry.articles += 1;
      if (article.date) {
        if (!entry.first || article.date < entry.first) entry.first = article.date;
        if (!entry.last || article.date > entry.last) entry.last = article.date;
      }
      byName.set(name, entry);
    }
  }
  return [...byName.values()].sort((a, b) => b.quotes - a.quotes || a.name.localeCompare(b.name));
}

/**
 * The archive's speakers a typed name stands for. A full name ("Tony Blair", "mr blair") matches every
 * speaker it names; a single word that fits several people ("blair": Tony and Cherie) stands for the one
 * quoted most, since a reporter typing a surname means the person the archive is about.
 */
export function speakersFor(query: string, speakers: readonly SpeakerEntry[]): string[] {
  const matching = speakers.filter((s) => matchesSpeaker(query, s.name));
  if (matching.length <= 1 || speakerKey(query).length > 1) return matching.map((s) => s.name);
  const people = new Map<string, SpeakerEntry[]>();
  for (const s of matching) {
    const key = speakerKey(s.name).join(' ');
    people.set(key, [...(people.get(key) ?? []), s]);
  }
  if (people.size <= 1) return matching.map((s) => s.name);
  const exact = matching.filter((s) => speakerKey(s.name).join(' ') === speakerKey(query).join(' '));
  if (exact.length > 0) return exact.map((s) => s.name);
  const top = Math.max(...matching.map((s) => s.quotes));
  return matching.filter((s) => s.quotes === top).map((s) => s.name);
}

export async function findQuotes(
  source: QuoteSource,
  query: QuoteQuery,
  embedAbout?: EmbedAbout,
): Promise<QuoteHit[]> {
  validateFilters(query);
  // Who a typed name stands for is decided among the articles searched: "hewitt" within one article or
  // one outlet is the Hewitt quoted there, whoever is quoted most in the whole archive.
  const searched =
    query.articleIds || query.outlet || query.since || query.until
      ? source.articles.filter(
          (a) => matchesFilters(a, query) && (!query.articleIds || query.articleIds.has(a.id)),
        )
      : source.articles;
  const names = new Set(speakersFor(query.speaker, speakerList(searched)));
  if (names.size === 0) return [];
  const candidates = searched.filter((a) => (a.speakers ?? []).some(([name]) => names.has(name)));
  const views = await source.views(candidates.map((a) => a.id));
  const about = query.about?.trim() || null;
  const aboutTerms = about ? new Set(analyze(about)) : null;
  const aboutVector = about && embedAbout ? await embedAbout(about) : null;
  const hits: QuoteHit[] = [];
  for (const view of views) {
    for (const q of view.quotes) {
      if (!q.speaker || !names.has(q.speaker)) continue;
      const quote = view.body.slice(q.start, q.end);
      let score = 0;
      if (about) {
        // The quotation and its sentence, by meaning and by words: the two halves of /ask's hybrid search.
        const sentence = view.sentenceAt(q.start);
        const meaning = aboutVector && sentence >= 0 ? view.sentenceSimilarity(sentence, aboutVector) : 0;
        const words = new Set(analyze(`${quote} ${sentence >= 0 ? view.sentenceText(sentence) : ''}`));
        const shared = aboutTerms ? [...aboutTerms].filter((t) => words.has(t)).length : 0;
        const lexical = aboutTerms && aboutTerms.size > 0 ? shared / aboutTerms.size : 0;
        score = 0.5 * Math.max(0, meaning) + 0.5 * lexical;
      }
      hits.push({
        article: view.meta,
        start: q.start,
        end: q.end,
        quote,
        speaker: q.speaker,
        speakerText: q.speakerText,
        cue: q.cue,
        score,
      });
    }
  }
  const order = query.order ?? (about ? 'relevance' : 'date');
  hits.sort((a, b) =>
    order === 'relevance' && b.score !== a.score ? b.score - a.score : byDate(a, b) || a.start - b.start,
  );
  return oneStoryOnce(hits).slice(0, query.limit ?? DEFAULT_QUOTE_LIMIT);
}

function byDate(a: QuoteHit, b: QuoteHit): number {
  const da = a.article.date ?? '';
  const db = b.article.date ?? '';
  if (da !== db) return da < db ? 1 : -1;
  return a.article.source < b.article.source ? -1 : a.article.source > b.article.source ? 1 : 0;
}

/** The same words by the same speaker in several articles (one story in several outlets): the first kept. */
function oneStoryOnce(hits: QuoteHit[]): QuoteHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.speaker}\u0000${h.quote.replace(/\s+/g, ' ').trim().toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether an outlet filter names an outlet the archive holds (for a plain "unknown outlet" reply). */
export function knownOutlet(articles: readonly ArticleMeta[], outlet: string): boolean {
  return articles.some((a) => a.outlet !== null && sameOutlet(a.outlet, outlet));
}
