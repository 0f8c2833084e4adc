import type { APIEmbed, APIEmbedField } from 'discord.js';
import type { FeedStatus } from '../feeds/status-format.js';
import { feedStatuses } from '../feeds/status-format.js';
import type { LivingArchive } from '../living-archive.js';
import { LIMITS, truncateWords } from './limits.js';
import { plain } from './markdown.js';

const stamp = (iso: string | null) => (iso ? `<t:${Math.floor(Date.parse(iso) / 1000)}:R>` : 'never');

/** Every feed with its last success, last error and next poll. */
export async function loadFeedStatuses(living: LivingArchive): Promise<FeedStatus[]> {
  return feedStatuses(
    await living.feedList.load(),
    (url) => living.feedState.feed(url),
    Object.values(living.feedState.current.pending),
    living.poller.defaultIntervalMinutes,
  );
}

export function feedLine(s: FeedStatus): string {
  const error = s.lastError
    ? ` · last error ${stamp(s.lastError.at)}: ${plain(s.lastError.message)}${s.lastError.item ? ' (one item)' : ''}`
    : '';
  return `${s.failures ? '⚠️' : '✅'} **${plain(s.outlet)}**: last success ${stamp(s.lastSuccessAt)}${error} · next poll ${s.nextPollAt ? stamp(s.nextPollAt) : 'soon'}`;
}

/** The /status field: one line per feed, as many as fit. */
export function feedsStatusField(
  statuses: FeedStatus[],
): Required<Pick<APIEmbedField, 'name' | 'value' | 'inline'>> {
  const failing = statuses.filter((s) => s.failures > 0).length;
  return {
    name: `Feeds (${statuses.length}${failing ? `, ${failing} failing` : ''})`,
    value: statuses.length
      ? truncateWords(statuses.map(feedLine).join('\n'), LIMITS.fieldValue)
      : 'none: `/feeds add` adds one',
    inline: false,
  };
}

/** /feeds list: one field per feed. */
export function feedsEmbed(statuses: FeedStatus[]): APIEmbed {
  const shown = statuses.slice(0, LIMITS.embedFields);
  return {
    title: `Feeds (${statuses.length})`,
    color: 0x2f6f9f,
    description: statuses.length ? undefined : 'No feeds yet. `/feeds add url outlet` adds one.',
    fields: shown.map((s) => ({
      name: truncateWords(`${plain(s.outlet)} · every ${s.intervalMinutes} min`, LIMITS.fieldName),
      value: truncateWords(
        [
          s.url,
          `Last success: ${stamp(s.lastSuccessAt)} · next poll: ${s.nextPollAt ? stamp(s.nextPollAt) : 'soon'}`,
          s.lastError ? `Last error ${stamp(s.lastError.at)}: ${plain(s.lastError.message)}` : 'No errors',
          s.pendingItems ? `${s.pendingItems} item(s) waiting for a retry` : '',
        ]
          .filter(Boolean)
          .join('\n'),
        LIMITS.fieldValue,
      ),
    })),
    footer:
      statuses.length > shown.length
        ? { text: `${statuses.length - shown.length} more not shown` }
        : undefined,
  };
}
