/** Where a digest goes: a server channel, or one person's direct messages. */
export type DigestTarget =
  | { kind: 'channel'; guildId: string; channelId: string }
  | { kind: 'dm'; userId: string };

/** How the last run of a subscription ended, as /digest list shows it. */
export interface RunRecord {
  /** The scheduled time the run was for (ISO), or `manual:<time>` for /digest now. */
  period: string;
  at: string;
  status: 'running' | 'posted' | 'empty' | 'failed';
  items?: number;
  messages?: number;
  error?: string;
}

export interface Subscription {
  id: string;
  target: DigestTarget;
  /** The server it was made in (null when made in a DM with the bot). */
  guildId: string | null;
  createdBy: string;
  createdAt: string;
  schedule: { text: string; cron: string };
  timeZone: string;
  topic: string | null;
  outlet: string | null;
  maxItems: number;
  /** Post "nothing new since …" instead of staying silent. */
  postWhenEmpty: boolean;
  /** The latest scheduled period claimed by a run: never run twice. */
  lastPeriod: string | null;
  /** Articles that entered the archive up to this time were covered by a posted digest. */
  coveredUntil: string | null;
  lastRun: RunRecord | null;
  consecutiveFailures: number;
  paused: { at: string; reason: string } | null;
}

export function describeTarget(target: DigestTarget): string {
  return target.kind === 'channel' ? `<#${target.channelId}>` : `direct messages to <@${target.userId}>`;
}
