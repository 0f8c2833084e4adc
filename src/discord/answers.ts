import { UserFacingError } from '../errors.js';
import type { SearchFilters } from '../search/filters.js';
import { validateFilters } from '../search/filters.js';
import { outletProblem } from '../search/outlet-match.js';
import { type ArchiveScope, articlesInScope, describeScope, narrowWithin } from '../search/scope.js';
import { checkQuestion } from '../search/search-service.js';
import type { ArticleMeta } from '../store/article-view.js';
import { type ReplyPayload, renderAnswer } from './answer-format.js';
import type { AnswerRecord } from './answer-store.js';
import type { BotContext } from './context.js';
import { questionWords } from './question-text.js';

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
  // A channel's scope: the asker's filters narrow it, never widen it (refused, saying what it sees).
  return { question: text, filters: narrowWithin(clean, scope), scope };
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
  options: { shareable: boolean; sharedBy?: string; followUp?: boolean },
): Promise<{ payload: ReplyPayload; resultIds: string[] }> {
  const scope = record.scope ?? null;
  if (scope) await ctx.search.refresh();
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
