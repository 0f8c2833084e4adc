import { LIMITS } from './limits.js';

/**
 * Button state lives in the custom id (at most 100 characters) or, for what does not fit (the question),
 * in the answer store on disk, so buttons keep working after a restart.
 *
 *   ask:page:<answerId>:<page>[:s]   show page <page> (`s`: of the answer as shared to the channel)
 *   ask:share:<answerId>:<page>    post that page to the channel
 *   ask:vote:<answerId>:<page>:up  feedback on that page
 *   ask:thread:<answerId>:<page>   open a follow-up thread on the answer message
 *   ask:alert:<answerId>:<page>    an instant alert by DM on the answer's question
 *   src:<page>:<outletKey>         /sources paging
 *
 * A custom id is only a request: who may page or share is decided from the answer record (its asker), and
 * "Shared by" is that asker, never a name taken from the id.
 */
export const askIds = {
  page: (answerId: string, page: number, shared = false) =>
    checked(`ask:page:${answerId}:${page}${shared ? ':s' : ''}`),
  share: (answerId: string, page: number) => checked(`ask:share:${answerId}:${page}`),
  vote: (answerId: string, page: number, vote: 'up' | 'down') =>
    checked(`ask:vote:${answerId}:${page}:${vote}`),
  thread: (answerId: string, page: number) => checked(`ask:thread:${answerId}:${page}`),
  alert: (answerId: string, page: number) => checked(`ask:alert:${answerId}:${page}`),
};

/** Pages beyond this are not real (an answer holds at most a few hundred articles). */
export const MAX_PAGE = 999;

export type AskButton =
  | { action: 'page'; answerId: string; page: number; shared: boolean }
  | { action: 'share'; answerId: string; page: number }
  | { action: 'vote'; answerId: string; page: number; vote: 'up' | 'down' }
  | { action: 'thread'; answerId: string; page: number }
  | { action: 'alert'; answerId: string; page: number };

/** The button's request, or null for anything malformed (unknown action, bad page number, extra parts). */
export function parseAskId(customId: string): AskButton | null {
  const parts = customId.split(':');
  const [prefix, action, answerId, pageText, extra] = parts;
  if (prefix !== 'ask' || !answerId || !/^[\w-]{1,40}$/.test(answerId) || parts.length > 5) return null;
  if (!/^\d{1,3}$/.test(pageText ?? '')) return null;
  const page = Number(pageText);
  if (page > MAX_PAGE) return null;
  if (action === 'page') {
    // Ids made before this version carried the sharer's user id; the sharer is now always the asker.
    if (extra === undefined) return { action, answerId, page, shared: false };
    return extra === 's' || /^\d{17,20}$/.test(extra) ? { action, answerId, page, shared: true } : null;
  }
  if (action === 'share' || action === 'thread' || action === 'alert')
    return extra === undefined ? { action, answerId, page } : null;
  if (action === 'vote' && (extra === 'up' || extra === 'down'))
    return { action, answerId, page, vote: extra };
  return null;
}

function checked(id: string): string {
  if (id.length > LIMITS.customId) throw new Error(`custom id longer than ${LIMITS.customId}: ${id}`);
  return id;
}

export { checked as checkedCustomId };
