import { LIMITS } from './limits.js';

/**
 * Button state lives in the custom id (at most 100 characters) or, for what does not fit (the question),
 * in the answer store on disk, so buttons keep working after a restart.
 *
 *   ask:page:<answerId>:<page>[:<sharedBy>]   show page <page> (of an answer <sharedBy> shared)
 *   ask:share:<answerId>:<page>    post that page to the channel
 *   ask:vote:<answerId>:<page>:up  feedback on that page
 *   src:<page>:<outletKey>         /sources paging
 */
export const askIds = {
  page: (answerId: string, page: number, sharedBy?: string) =>
    checked(`ask:page:${answerId}:${page}${sharedBy ? `:${sharedBy}` : ''}`),
  share: (answerId: string, page: number) => checked(`ask:share:${answerId}:${page}`),
  vote: (answerId: string, page: number, vote: 'up' | 'down') =>
    checked(`ask:vote:${answerId}:${page}:${vote}`),
};

export type AskButton =
  | { action: 'page'; answerId: string; page: number; sharedBy?: string }
  | { action: 'share'; answerId: string; page: number }
  | { action: 'vote'; answerId: string; page: number; vote: 'up' | 'down' };

export function parseAskId(customId: string): AskButton | null {
  const [prefix, action, answerId, pageText, extra] = customId.split(':');
  const page = Number(pageText);
  if (prefix !== 'ask' || !answerId || !Number.isInteger(page) || page < 0) return null;
  if (action === 'page')
    return extra && /^\d+$/.test(extra)
      ? { action, answerId, page, sharedBy: extra }
      : { action, answerId, page };
  if (action === 'share') return { action, answerId, page };
  const vote = extra;
  if (action === 'vote' && (vote === 'up' || vote === 'down')) return { action, answerId, page, vote };
  return null;
}

function checked(id: string): string {
  if (id.length > LIMITS.customId) throw new Error(`custom id longer than ${LIMITS.customId}: ${id}`);
  return id;
}

export { checked as checkedCustomId };
