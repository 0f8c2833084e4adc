import { UserFacingError } from '../errors.js';
import { parseQuoteIntent } from '../quotes/intent.js';
import { findQuotes, speakerList, speakersFor } from '../quotes/search.js';
import type { SearchFilters } from '../search/filters.js';
import { validateFilters } from '../search/filters.js';
import { outletProblem } from '../search/outlet-match.js';
import { type ArchiveScope, articlesInScope, describeScope, narrowWithin } from '../search/scope.js';
import { checkQuestion } from '../search/search-service.js';
import type { ArticleMeta } from '../store/article-view.js';
import { type ReplyPayload, renderAnswer } from './answer-format.js';
import type { AnswerRecord } from './answer-store.js';
import type { BotContext } from './context.js';
import { LIMITS, truncateWords } from './limits.js';
import { questionWords } from './question-text.js';
import { noQuotationsLine, renderQuotes } from './quote-format.js';

/**
 * The first page of an answer to a question (/ask, a DM). "What did X say (about Y)?" about someone the
 * archive quotes is answered with X's quotations; about someone it never quotes, with a plain line saying
 * so above the ordinary answer (which may still find X in reported speech).
 */
export async function firstAnswerPage(
  ctx: BotContext,
  prepared: { question: string; filters: SearchFilters; scope: ArchiveScope | null },
  asked: {
    perPage: number;
    userId: string;
    createdAt: string;
    guildId?: string | null;
    channelId?: string | null;
  },
  options: { shareable: boolean; followUp?: boolean },
): Promise<{ payload: ReplyPayload; resultIds: string[]; record: AnswerRecord }> {
  const intent = parseQuoteIntent(prepared.question);
  if (intent && isQuoted(ctx, intent.speaker)) {
    const record = await ctx.answers.create({
      ...prepared,
      ...asked,
      speaker: intent.speaker,
      about: intent.about,
    });
    return { ...(await answerPage(ctx, record, 0, options)), record };
  }
  const record = await ctx.answers.create({ ...prepared, ...asked });
  const page = { ...(await answerPage(ctx, record, 0, options)), record };
  if (intent) {
    page.payload.content = truncateWords(
      `${noQuotationsLine(intent.speaker)}\n${page.payload.content}`,
      LIMITS.content,
    );
  }
  return page;
}

/** Quotations of one speaker kept for paging: enough for 100 pages of /quotes. */
const MAX_QUOTATIONS = 1000;

/** Whether the archive quotes anyone a typed name stands for. */
export function isQuoted(ctx: BotContext, speaker: string): boolean {
  return speakersFor(speaker, speakerList(ctx.search.articles)).length > 0;
}

/** A page of a quotations answer (/quotes, "what did X say about Y"), rendered like /ask's pages. */
async function quotationsPage(
  ctx: BotContext,
  record: AnswerRecord,
  speaker: string,
  page: number,
  options: { shareable: boolean; sharedBy?: string; note?: string },
): Promise<{ payload: ReplyPayload; resultIds: string[] }> {
  await ctx.search.refresh();
  const about = record.about ?? null;
  const scope = record.scope ?? null;
  const all = await findQuotes(
    ctx.search,
    {
      speaker,
      about,
      ...record.filters,
      limit: MAX_QUOTATIONS,
      // Within the channel's scope (/scope), like /ask.
      articleIds: scope ? scopeArticleIds(ctx.search.articles, scope) : null,
    },
    about ? (text) => ctx.search.embedTopic(text) : undefined,
  );
  const results = all.slice(page * record.perPage, (page + 1) * record.perPage);
  const payload = renderQuotes({
    answerId: record.id,
    speaker,
    about,
    filters: record.filters,
    results,
    total: all.length,
    page,
    perPage: record.perPage,
    shareable: options.shareable,
    sharedBy: options.sharedBy,
    note: options.note,
  });
  return { payload, resultIds: results.map((r) => r.article.id) };
}

export const DEFAULT_PER_PAGE = 3;
export const MAX_PER_PAGE = 10;

/**
 * Checks a question and its filters before anything is deferred, so a mistake is answered at once and
 * privately, with a message that says how to fix it. Mentions and other Discord markup are taken out:
 * the question searched (and kept for the buttons) is the asker's words only.
 */
export function prepareQuestion(
  ctx: BotContext,
  question: string,
  filters: SearchFilters,
  scope: ArchiveScope | null = null,
): { question: string; filters: SearchFilters; scope: ArchiveScope | null } {
  const text = checkQuestion(questionWords(question));
  // A channel's scope: the asker's filters narrow it, never widen it (refused, saying what it sees).
  return { question: text, filters: narrowWithin(prepareFilters(ctx, filters), scope), scope };
}

/** Filters as a person typed them, checked, with the outlet as the archive spells it. */
export function prepareFilters(ctx: BotContext, filters: SearchFilters): SearchFilters {
  const clean: SearchFilters = {
    outlet: filters.outlet?.trim() || null,
    since: filters.since?.trim() || null,
    until: filters.until?.trim() || null,
  };
  validateFilters(clean);
  if (clean.outlet) {
    const canonical = ctx.search.canonicalOutlet(clean.outlet);
    if (!canonical)
      throw new UserFacingError(
        outletProblem(
          clean.outlet,
          ctx.search.resolveOutlet(clean.outlet),
          ' Pick an outlet from the list, or leave it out.',
        ) ?? `No article in the archive is from "${clean.outlet}".`,
      );
    clean.outlet = canonical;
  }
  return clean;
}

/** Articles of a scope, worked out once per archive version and scope. */
const scopeCache = new WeakMap<readonly ArticleMeta[], Map<string, Set<string>>>();

export function scopeArticleIds(articles: readonly ArticleMeta[], scope: ArchiveScope): Set<string> {
  let byScope = scopeCache.get(articles);
  if (!byScope) {
    byScope = new Map();
    scopeCache.set(articles, byScope);
  }
  const key = JSON.stringify(scope);
  let ids = byScope.get(key);
  if (!ids) {
    ids = articlesInScope(articles, scope);
    if (byScope.size > 100) byScope.clear();
    byScope.set(key, ids);
  }
  return ids;
}

/** Page `page` of an answer, searched afresh (the archive may have grown since it was asked). */
export async function answerPage(
  ctx: BotContext,
  record: AnswerRecord,
  page: number,
  options: { shareable: boolean; sharedBy?: string; followUp?: boolean; note?: string },
): Promise<{ payload: ReplyPayload; resultIds: string[] }> {
  const scope = record.scope ?? null;
  if (scope) await ctx.search.refresh();
  if (record.speaker) return quotationsPage(ctx, record, record.speaker, page, options);
  // Records kept from before markup was taken out on the way in are cleaned here too.
  const response = await ctx.search.search(questionWords(record.question), {
    ...record.filters,
    limit: record.perPage,
    offset: page * record.perPage,
    ...(scope ? { articleIds: scopeArticleIds(ctx.search.articles, scope) } : {}),
  });
  const payload = renderAnswer({
    answerId: record.id,
    question: record.question,
    filters: record.filters,
    results: response.results,
    total: response.total,
    page,
    perPage: record.perPage,
    shareable: options.shareable,
    sharedBy: options.sharedBy,
    followUp: options.followUp ?? false,
    scopeNote: scope ? describeScope(scope) : null,
  });
  return { payload, resultIds: response.results.map((r) => r.articleId) };
}
