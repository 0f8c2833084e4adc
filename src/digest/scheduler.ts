import type { Logger } from '../logger.js';
import { SerialQueue } from '../util/serial-queue.js';
import type { Digest, DigestBuilder } from './build.js';
import { isInstant } from './instant.js';
import { latestRunAtOrBefore, nextRuns } from './schedule.js';
import type { SubscriptionStore } from './store.js';
import type { RunRecord, Subscription } from './subscription.js';

/** What delivery made of a digest: posted in so many messages, or failed for a reason a person can act on. */
export type DeliveryResult = { ok: true; messages: number } | { ok: false; reason: string };

export interface DigestSchedulerDeps {
  store: SubscriptionStore;
  builder: DigestBuilder;
  /** Posts a digest (only called when there is something to post). */
  deliver: (subscription: Subscription, digest: Digest) => Promise<DeliveryResult>;
  /** Tells the subscription's creator that it was paused (best effort). */
  notifyPaused: (subscription: Subscription, reason: string) => Promise<void>;
  now: () => Date;
  log: Logger;
  maxFailures: number;
  lookbackHours: number;
}

export interface RunOutcome {
  id: string;
  period: string;
  status: RunRecord['status'];
  items: number;
  error?: string;
}

/** Wake at least this often, so a sleeping machine or a changed clock is noticed within a minute. */
const MAX_SLEEP_MS = 60_000;

/**
 * Runs digests on their schedules. A run claims its period (the scheduled time) in the store before it
 * posts, so a crash and restart, or two wake-ups in one minute, never post one period twice; a crash
 * between claim and post loses that one digest rather than doubling it. Periods missed while the bot was
 * down are caught up once: only the latest one runs. All runs go through one queue.
 */
export class DigestScheduler {
  private readonly queue = new SerialQueue();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(private readonly deps: DigestSchedulerDeps) {}

  /** Catches up on missed periods, then keeps running due digests until stop(). */
  start(): void {
    this.stopped = false;
    void this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs every active subscription whose latest scheduled time has not been claimed yet. */
  runDue(): Promise<RunOutcome[]> {
    return this.queue.run(async () => {
      const now = this.deps.now();
      const outcomes: RunOutcome[] = [];
      for (const subscription of this.deps.store.all()) {
        if (subscription.paused || isInstant(subscription)) continue; // instant: posted after each ingest
        const period = latestRunAtOrBefore(subscription.schedule.cron, subscription.timeZone, now);
        if (!period || period.getTime() <= Date.parse(subscription.createdAt)) continue;
        if (subscription.lastPeriod && period.getTime() <= Date.parse(subscription.lastPeriod)) continue;
        outcomes.push(await this.run(subscription, period.toISOString()));
      }
      return outcomes;
    });
  }

  /** /digest now: posts at once and records the run like a scheduled one. */
  runNow(id: string): Promise<RunOutcome | null> {
    return this.queue.run(async () => {
      const subscription = this.deps.store.get(id);
      return subscription ? this.run(subscription, `manual:${this.deps.now().toISOString()}`) : null;
    });
  }

  /** What the subscription would post now, without posting or recording anything. */
  async preview(subscription: Subscription): Promise<Digest> {
    return this.deps.builder.build(subscription, this.window(subscription));
  }

  /** The next `n` run times after now. */
  upcoming(subscription: Pick<Subscription, 'schedule' | 'timeZone'>, n: number): Date[] {
    if (isInstant(subscription)) return [];
    return nextRuns(subscription.schedule.cron, subscription.timeZone, this.deps.now(), n);
  }

  private window(subscription: Subscription): { since: Date; until: Date } {
    const until = this.deps.now();
    const since = subscription.coveredUntil
      ? new Date(subscription.coveredUntil)
      : new Date(until.getTime() - this.deps.lookbackHours * 3_600_000);
    return { since, until };
  }

  private async run(subscription: Subscription, period: string): Promise<RunOutcome> {
    const { store, log } = this.deps;
    const at = this.deps.now().toISOString();
    const scheduled = !period.startsWith('manual:');
    // Claim the period first: whatever happens next, it will not run again.
    await store.update(subscription.id, (s) => {
      if (scheduled) s.lastPeriod = period;
      s.lastRun = { period, at, status: 'running' };
    });
    const window = this.window(subscription);
    let record: RunRecord;
    try {
      const digest = await this.deps.builder.build(subscription, window);
      if (digest.entries.length === 0 && !subscription.postWhenEmpty) {
        record = { period, at, status: 'empty', items: 0 };
      } else {
        const delivered = await this.deps.deliver(subscription, digest);
        record = delivered.ok
          ? { period, at, status: 'posted', items: digest.entries.length, messages: delivered.messages }
          : { period, at, status: 'failed', error: delivered.reason };
      }
    } catch (error) {
      log.error({ err: error, subscription: subscription.id }, 'digest run failed');
      record = { period, at, status: 'failed', error: 'an internal error (see the bot log)' };
    }

    const failed = record.status === 'failed';
    const saved = await store.update(subscription.id, (s) => {
      s.lastRun = record;
      if (failed) {
        s.consecutiveFailures += 1;
        if (s.consecutiveFailures >= this.deps.maxFailures)
          s.paused = { at, reason: record.error ?? 'repeated failures' };
      } else {
        s.consecutiveFailures = 0;
        s.coveredUntil = window.until.toISOString();
      }
    });
    log.info(
      {
        subscription: subscription.id,
        period,
        status: record.status,
        items: record.items,
        error: record.error,
      },
      'digest run',
    );
    if (failed && saved?.paused && !subscription.paused) {
      log.warn(
        { subscription: subscription.id, reason: saved.paused.reason },
        'digest paused after repeated failures',
      );
      await this.deps.notifyPaused(saved, saved.paused.reason).catch((error: unknown) => {
        log.warn(
          { err: error, subscription: subscription.id },
          'could not tell the creator that the digest was paused',
        );
      });
    }
    return {
      id: subscription.id,
      period,
      status: record.status,
      items: record.items ?? 0,
      error: record.error,
    };
  }

  private async wake(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.runDue();
    } catch (error) {
      this.deps.log.error({ err: error }, 'digest scheduler failed; trying again shortly');
    }
    if (this.stopped) return;
    const now = this.deps.now().getTime();
    const next = this.deps.store
      .all()
      .filter((s) => !s.paused)
      .map((s) => this.upcoming(s, 1)[0]?.getTime() ?? Number.POSITIVE_INFINITY)
      .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const delay = Math.min(MAX_SLEEP_MS, Math.max(1000, next - now + 50));
    this.timer = setTimeout(() => void this.wake(), delay);
    this.timer.unref();
  }
}
