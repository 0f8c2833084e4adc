import path from 'node:path';
import type { FeedSource } from './feed-list.js';
import type { FeedRecord } from './feed-state.js';

/** One feed's health, as /status, /feeds list and `npm run feeds -- --status` show it. */
export interface FeedStatus {
  url: string;
  outlet: string;
  intervalMinutes: number;
  lastSuccessAt: string | null;
  lastError: FeedRecord['lastError'];
  nextPollAt: string | null;
  failures: number;
  pendingItems: number;
}

export function feedStatuses(
  feeds: FeedSource[],
  record: (url: string) => FeedRecord,
  pending: Array<{ feedUrl: string }>,
  defaultIntervalMinutes: number,
): FeedStatus[] {
  return feeds.map((f) => {
    const r = record(f.url);
    return {
      url: f.url,
      outlet: f.outlet,
      intervalMinutes: f.intervalMinutes ?? defaultIntervalMinutes,
      lastSuccessAt: r.lastSuccessAt,
      lastError: r.lastError,
      nextPollAt: r.nextPollAt,
      failures: r.failures,
      pendingItems: pending.filter((p) => p.feedUrl === f.url).length,
    };
  });
}

/** What to do when no feed is configured: the file to create, from the example. */
export function noFeedsMessage(feedsFile: string, cwd = process.cwd()): string {
  const shown = path.relative(cwd, feedsFile) || feedsFile;
  return `No feeds configured: copy feeds.example.json to ${shown} (FEEDS_FILE) and edit it, or add one with /feeds add in Discord.`;
}

/** A plain-text table for the terminal. */
export function formatStatusTable(statuses: FeedStatus[], now: Date, feedsFile = 'feeds.json'): string {
  if (statuses.length === 0) return noFeedsMessage(feedsFile);
  return statuses
    .map((s) =>
      [
        `${s.outlet}  ${s.url}  (every ${s.intervalMinutes} min)`,
        `  last success: ${s.lastSuccessAt ? `${s.lastSuccessAt} (${ago(s.lastSuccessAt, now)})` : 'never'}`,
        `  last error:   ${s.lastError ? `${s.lastError.at} ${s.lastError.item ? `[item ${s.lastError.item}] ` : ''}${s.lastError.message}` : 'none'}${s.failures ? ` (${s.failures} failed polls in a row)` : ''}`,
        `  next poll:    ${s.nextPollAt ?? 'at the next run'}${s.pendingItems ? `; ${s.pendingItems} item(s) waiting for a retry` : ''}`,
      ].join('\n'),
    )
    .join('\n');
}

function ago(iso: string, now: Date): string {
  const minutes = Math.round((now.getTime() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}
