import { z } from 'zod';
import { isTimeZone } from '../config.js';
import { archiveScopeSchema } from '../search/scope.js';
import type { Digest } from './build.js';
import { isCron } from './schedule.js';

/**
 * A subscription as stored in DATA_DIR/digests.json. The zod schemas are the one definition: the file is
 * checked against them on load (never trusted as it is), and the types come from them. Fields added since
 * the first version have defaults, so older files load.
 */

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date and time');
const count = z.number().int().nonnegative();

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('channel'), guildId: z.string().min(1), channelId: z.string().min(1) }),
  z.object({ kind: z.literal('dm'), userId: z.string().min(1) }),
]);

/** Where a digest goes: a server channel, or one person's direct messages. */
export type DigestTarget = z.infer<typeof targetSchema>;

const runRecordSchema = z.object({
  /** The scheduled time the run was for (ISO), or `manual:<time>` for /digest now. */
  period: z.string().min(1),
  at: isoTime,
  status: z.enum(['running', 'posted', 'empty', 'failed']),
  items: count.optional(),
  messages: count.optional(),
  error: z.string().optional(),
});

/** How the last run of a subscription ended, as /digest list shows it. */
export type RunRecord = z.infer<typeof runRecordSchema>;

const digestArticleSchema = z.object({
  articleId: z.string(),
  title: z.string(),
  outlet: z.string().nullable(),
  date: z.string().nullable(),
  url: z.string().nullable(),
});

const digestSchema: z.ZodType<Digest> = z.object({
  since: isoTime,
  until: isoTime,
  topic: z.string().nullable(),
  outlet: z.string().nullable(),
  entries: z.array(
    digestArticleSchema.extend({
      sentence: z.string(),
      start: count,
      end: count,
      alsoIn: z.array(digestArticleSchema),
    }),
  ),
  more: count,
  unsorted: count.optional(),
  older: count.optional(),
});

/**
 * A digest being posted, message by message. Each message is marked `posting` before it is sent and
 * counted in `sent` after, so a retry goes on from the first message not posted, and a bot stopped in the
 * middle of a post counts that message as posted: at most that one is lost, none is posted twice.
 */
const deliverySchema = z.object({
  /** The run that built it. */
  period: z.string().min(1),
  digest: digestSchema,
  /** Messages posted, from the first. */
  sent: count,
  /** The message being posted when the file was last written (null between posts). */
  posting: count.nullable(),
});

export type PendingDelivery = z.infer<typeof deliverySchema>;

export const subscriptionSchema = z.object({
  id: z.string().regex(/^[\w-]{1,40}$/, 'must be a subscription id'),
  target: targetSchema,
  /** The server it was made in (null when made in a DM with the bot). */
  guildId: z.string().nullable(),
  createdBy: z.string().min(1),
  createdAt: isoTime,
  schedule: z.object({
    text: z.string(),
    cron: z.string().refine(isCron, 'must be a five-field cron expression'),
  }),
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone'),
  topic: z.string().nullable(),
  outlet: z.string().nullable(),
  maxItems: z.number().int().min(1).max(25),
  /** Post "nothing new since …" instead of staying silent. */
  postWhenEmpty: z.boolean(),
  /** Announce every article added, also those published long before the look-back (default: news only). */
  everythingAdded: z.boolean().default(false),
  /** The latest scheduled period claimed by a run: never run twice. */
  lastPeriod: z.string().nullable(),
  /** Articles that entered the archive up to this time were covered by a posted digest. */
  coveredUntil: isoTime.nullable(),
  lastRun: runRecordSchema.nullable(),
  consecutiveFailures: count,
  paused: z.object({ at: isoTime, reason: z.string() }).nullable(),
  /** A digest not yet fully posted (a failed or interrupted post): the next run finishes it first. */
  delivery: deliverySchema.nullable().default(null),
  /**
   * The part of the archive it covers besides topic and outlet (an alert made from an answer keeps the
   * channel's scope and the answer's dates); a channel digest also stays within its channel's /scope.
   */
  scope: archiveScopeSchema.nullable().default(null),
  /** Made with an answer's 🔔 Alert me button (counted against the per-person limit). */
  fromAnswer: z.string().nullable().default(null),
});

export type Subscription = z.infer<typeof subscriptionSchema>;

export function describeTarget(target: DigestTarget): string {
  return target.kind === 'channel' ? `<#${target.channelId}>` : `direct messages to <@${target.userId}>`;
}
