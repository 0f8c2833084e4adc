import { UserFacingError } from '../errors.js';
import type { SearchFilters } from '../search/filters.js';
import { validateFilters } from '../search/filters.js';
import { outletProblem } from '../search/outlet-match.js';
import { checkQuestion } from '../search/search-service.js';
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
): { question: string; filters: SearchFilters } {
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
  return { question: text, filters: clean };
}

/** Page `page` of an answer, searched afresh (the archive may have grown since it was asked). */
export async function answerPage(
  ctx: BotContext,
  record: AnswerRecord,
  page: number,
  options: { shareable: boolean; sharedBy?: string },
): Promise<{ payload: ReplyPayload; resultIds: string[] }> {
  // Records kept from before markup was taken out on the way in are cleaned here too.
  const response = await ctx.search.search(questionWords(record.question), {
    ...record.filters,
    limit: record.perPage,
    offset: page * record.perPage,
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
  });
  return { payload, resultIds: response.results.map((r) => r.articleId) };
}
