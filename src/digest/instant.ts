import type { Logger } from '../logger.js';
import type { ArticleMeta } from '../store/article-view.js';
import { SerialQueue } from '../util/serial-queue.js';
import type { Timers } from '../util/timers.js';
import type { Digest, DigestBuilder } from './build.js';
import type { DeliveryResult } from './delivery.js';
import type { InstantProgress, InstantStore } from './instant-store.js';
import { isInstant } from './schedule.js';
import type { SubscriptionStore } from './store.js';
import type { Subscription } from './subscription.js';

export interface InstantAlertsDeps {
  subscriptions: SubscriptionStore;
  builder: DigestBuilder;
  progress: InstantStore;
  /** The archive's articles as the search sees them (after the ingest's refresh). */
  articles: () => readonly ArticleMeta[];
  deliver: (subscription: Subscription, digest: Digest) => Promise<DeliveryResult>;
  notifyPaused: (subscription: Subscription, reason: string) => Promise<void>;
  now: () => Date;
  log: Logger;
  /** At most one post per channel (or DM) per this many ms; later articles wait and go out together. */
  minIntervalMs: number;
  maxFailures: number;
  /** Schedules a later run for a rate-limited channel (injectable; tests call run() themselves). */
  timers?: Timers;
}

export interface InstantOutcome {
  id: string;
  status: 'posted' | 'nothing' | 'off-topic' | 'rate-limited' | 'failed';
  items: number;
  error?: string;
}

/**
 * Instant alerts: after each ingest, every subscription with the schedule `instant` gets the articles
 * that entered the archive since it last looked, restricted to its topic with the same relevance floor as
 * /ask (through the digest builder), in one grouped post. Never twice: what a subscription has handled is
 * recorded before it posts (a crash in between loses an alert rather than doubling it; a refused post is
 * released and retried). At most one post per channel per `minIntervalMs`: articles arriving faster wait
 * and go out together.
 */
export class InstantAlerts {
  private readonly queue = new SerialQueue();
  private readonly lastPost = new Map<string, number>();
  private readonly retryArmed = new Set<string>();

  constructor(private readonly deps: InstantAlertsDeps) {}

  run(): Promise<InstantOutcome[]> {
    return this.queue.run(async () => {
      const outcomes: InstantOutcome[] = [];
      for (const subscription of this.deps.subscriptions.all()) {
        if (!isInstant(subscription) || subscription.paused) continue;
        try {
          outcomes.push(await this.runOne(subscription));
        } catch (error) {
          this.deps.log.error({ err: error, subscription: subscription.id }, 'instant alert failed');
          outcomes.push({ id: subscription.id, status: 'failed', items: 0, error: 'internal error' });
        }
      }
      return outcomes;
    });
  }

  private async runOne(subscription: Subscription): Promise<InstantOutcome> {
    const { deps } = this;
    const before: InstantProgress = deps.progress.get(subscription.id) ?? {
      until: subscription.createdAt,
      handled: [],
    };
    const since = Date.parse(before.until);
    const handled = new Set(before.handled);
    const fresh = deps.articles().filter((a) => {
      const added = Date.parse(a.addedAt);
      return added > since || (added === since && !handled.has(a.id));
    });
    if (fresh.length === 0) return { id: subscription.id, status: 'nothing', items: 0 };

    const channel = channelKey(subscription);
    const now = deps.now().getTime();
    const wait = (this.lastPost.get(channel) ?? Number.NEGATIVE_INFINITY) + deps.minIntervalMs - now;
    if (wait > 0) {
      this.retryLater(channel, wait);
      return { id: subscription.id, status: 'rate-limited', items: fresh.length };
    }

    const latest = Math.max(...fresh.map((a) => Date.parse(a.addedAt)));
    const after: InstantProgress = {
      until: new Date(latest).toISOString(),
      handled: [
        ...(latest === since ? before.handled : []),
        ...fresh.filter((a) => Date.parse(a.addedAt) === latest).map((a) => a.id),
      ],
    };
    const digest = await deps.builder.build(
      {
        topic: subscription.topic,
        outlet: subscription.outlet,
        maxItems: subscription.maxItems,
        articleIds: new Set(fresh.map((a) => a.id)),
        scope: subscription.scope,
        target: subscription.target,
      },
      { since: new Date(since - 1), until: new Date(Math.max(latest, now)) },
    );
    digest.since = before.until;
    // Claim first: whatever happens next, these articles are not alerted again.
    await deps.progress.set(subscription.id, after);
    if (digest.entries.length === 0) return { id: subscription.id, status: 'off-topic', items: 0 };

    const at = deps.now().toISOString();
    const delivered = await deps.deliver(subscription, digest);
    if (delivered.ok) {
      this.lastPost.set(channel, deps.now().getTime());
      await deps.subscriptions.update(subscription.id, (s) => {
        s.lastRun = {
          period: `instant:${at}`,
          at,
          status: 'posted',
          items: digest.entries.length,
          messages: delivered.messages,
        };
        s.consecutiveFailures = 0;
        s.coveredUntil = after.until;
      });
      deps.log.info({ subscription: subscription.id, items: digest.entries.length }, 'instant alert posted');
      return { id: subscription.id, status: 'posted', items: digest.entries.length };
    }
    // Nothing was posted: release the claim so the next ingest tries again.
    await deps.progress.set(subscription.id, before);
    const saved = await deps.subscriptions.update(subscription.id, (s) => {
      s.lastRun = { period: `instant:${at}`, at, status: 'failed', error: delivered.reason };
      s.consecutiveFailures += 1;
      if (s.consecutiveFailures >= deps.maxFailures) s.paused = { at, reason: delivered.reason };
    });
    if (saved?.paused && !subscription.paused)
      await deps
        .notifyPaused(saved, saved.paused.reason)
        .catch((error: unknown) =>
          deps.log.warn(
            { err: error, subscription: subscription.id },
            'could not tell the creator of the pause',
          ),
        );
    return { id: subscription.id, status: 'failed', items: 0, error: delivered.reason };
  }

  private retryLater(channel: string, ms: number): void {
    if (!this.deps.timers || this.retryArmed.has(channel)) return;
    this.retryArmed.add(channel);
    this.deps.timers.set(() => {
      this.retryArmed.delete(channel);
      void this.run();
    }, ms);
  }
}

function channelKey(subscription: Subscription): string {
  return subscription.target.kind === 'channel'
    ? `c:${subscription.target.channelId}`
    : `u:${subscription.target.userId}`;
}
