import type { Logger } from '../logger.js';
import { SerialQueue } from '../util/serial-queue.js';
import { realTimers, type Timers } from '../util/timers.js';
import type { Digest, DigestBuilder, DigestWindow } from './build.js';
import type { DigestPoster, PostResult } from './delivery.js';
import { isInstant, latestRunAtOrBefore, nextRuns } from './schedule.js';
import type { SubscriptionStore } from './store.js';
import type { RunRecord, Subscription } from './subscription.js';

export interface DigestSchedulerDeps {
  store: SubscriptionStore;
  builder: Pick<DigestBuilder, 'build'>;
  poster: DigestPoster;
  /** Tells the subscription's creator that it was paused (best effort). */
  notifyPaused: (subscription: Subscription, reason: string) => Promise<void>;
  now: () => Date;
  log: Logger;
  maxFailures: number;
  lookbackHours: number;
  timers?: Timers;
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
 * does anything else, so a crash and restart, or two wake-ups in one minute, never run one period twice.
 * A digest is stored with the subscription before its first message is posted, and each message is
 * recorded before and after it is posted: a failed post is finished by the next run from the message
 * that failed, and a bot stopped mid-post finishes the rest once it is back, counting the message it was
 * posting as posted (lost rather than doubled). Periods missed while the bot was down are caught up
 * once: only the latest one runs. All runs go through one queue; the timer is re-armed whenever the
 * subscriptions change, so a new one runs at its first time.
 */
export class DigestScheduler {
  private readonly queue = new SerialQueue();
  private readonly timers: Timers;
  private timer: unknown = null;
  private stopped = true;
  private waking = false;
  /** The latest wake: tests (and a clean stop) can wait for it instead of for the clock. */
  private wakeDone: Promise<void> = Promise.resolve();

  constructor(private readonly deps: DigestSchedulerDeps) {
    this.timers = deps.timers ?? realTimers;
    deps.store.onChange(() => this.rearm());
  }

  /** Catches up on missed periods and interrupted posts, then keeps running due digests until stop(). */
  start(): void {
    this.stopped = false;
    this.wakeNow();
  }

  /** Settles once the wake in progress (if any) has run what was due and armed the timer again. */
  idle(): Promise<void> {
    return this.wakeDone;
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /**
   * Runs every active subscription whose latest scheduled time has not been claimed yet, and finishes
   * posts that a stop interrupted. No run is in progress when this starts (one queue), so a run still
   * marked "running" in the store was cut off by a stop.
   */
  runDue(): Promise<RunOutcome[]> {
    return this.queue.run(async () => {
      const now = this.deps.now();
      const outcomes: RunOutcome[] = [];
      for (const subscription of this.deps.store.all()) {
        if (subscription.paused || isInstant(subscription)) continue; // instant: posted after each ingest
        const period = latestRunAtOrBefore(subscription.schedule.cron, subscription.timeZone, now);
        const due =
          period !== null &&
          period.getTime() > Date.parse(subscription.createdAt) &&
          (!subscription.lastPeriod || period.getTime() > Date.parse(subscription.lastPeriod));
        if (due) {
          outcomes.push(await this.run(subscription, period.toISOString()));
        } else if (subscription.delivery && subscription.lastRun?.status === 'running') {
          outcomes.push(await this.run(subscription, subscription.lastRun.period, { finishOnly: true }));
        }
      }
      return outcomes;
    });
  }

  /** /digest now: finishes a post left part-way, then posts what is new, recorded like a scheduled run. */
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

  private window(subscription: Subscription): DigestWindow {
    const until = this.deps.now();
    const lookbackMs = this.deps.lookbackHours * 3_600_000;
    const since = subscription.coveredUntil
      ? new Date(subscription.coveredUntil)
      : new Date(until.getTime() - lookbackMs);
    // News is what was published within the look-back before the window: a 2022 piece imported today is
    // archive, not news (unless the subscription asked for everything added).
    return { since, until, publishedSince: new Date(since.getTime() - lookbackMs) };
  }

  private async run(
    subscription: Subscription,
    period: string,
    { finishOnly = false }: { finishOnly?: boolean } = {},
  ): Promise<RunOutcome> {
    const { store, log } = this.deps;
    const id = subscription.id;
    const at = this.deps.now().toISOString();
    const scheduled = !period.startsWith('manual:');
    // Claim the period first: whatever happens next, it will not run again.
    await store.update(id, (s) => {
      if (scheduled) s.lastPeriod = period;
      s.lastRun = { period, at, status: 'running' };
    });
    let record: RunRecord;
    try {
      // A digest left part-way by an earlier run is finished first; its result stands when nothing is new.
      const finished = await this.finishDelivery(id, period, at);
      record = finished;
      if (finished.status !== 'failed' && !finishOnly) {
        const current = store.get(id) ?? subscription;
        const window = this.window(current);
        const digest = await this.deps.builder.build(current, window);
        if (digest.entries.length === 0 && !current.postWhenEmpty) {
          await store.update(id, (s) => {
            s.coveredUntil = window.until.toISOString();
          });
          if (finished.status !== 'posted') record = { period, at, status: 'empty', items: 0 };
        } else {
          // Stored before the first message: from here on, what was posted is known message by message.
          await store.update(id, (s) => {
            s.delivery = { period, digest, sent: 0, posting: null };
          });
          record = await this.finishDelivery(id, period, at);
        }
      }
    } catch (error) {
      log.error({ err: error, subscription: id }, 'digest run failed');
      record = { period, at, status: 'failed', error: 'an internal error (see the bot log)' };
    }
    return this.record(subscription, record);
  }

  /**
   * Posts the messages of the subscription's stored digest that are not posted yet, recording each
   * before and after. With nothing stored, an empty success.
   */
  private async finishDelivery(id: string, period: string, at: string): Promise<RunRecord> {
    const { store, poster, log } = this.deps;
    let subscription = store.get(id);
    let delivery = subscription?.delivery;
    if (!subscription || !delivery) return { period, at, status: 'empty', items: 0 };
    if (delivery.posting !== null) {
      // The bot stopped while posting this message: it may be in the channel already.
      log.warn(
        { subscription: id, message: delivery.posting + 1 },
        'a digest message was being posted when the bot stopped: counted as posted, not posted again',
      );
      const sent = delivery.posting + 1;
      subscription = await store.update(id, (s) => {
        if (s.delivery) s.delivery = { ...s.delivery, sent, posting: null };
      });
      delivery = subscription?.delivery;
      if (!subscription || !delivery) return { period, at, status: 'empty', items: 0 };
    }
    const { digest } = delivery;
    const total = poster.messageCount(subscription, digest);
    let posted = 0;
    for (let index = delivery.sent; index < total; index++) {
      await store.update(id, (s) => {
        if (s.delivery) s.delivery.posting = index;
      });
      let result: PostResult;
      try {
        result = await poster.post(subscription, digest, index);
      } catch (error) {
        log.error({ err: error, subscription: id }, 'posting a digest message failed');
        result = { ok: false, reason: 'an internal error (see the bot log)' };
      }
      await store.update(id, (s) => {
        if (!s.delivery) return;
        s.delivery.posting = null;
        if (result.ok) s.delivery.sent = index + 1;
      });
      if (!result.ok) return { period, at, status: 'failed', error: result.reason };
      posted++;
    }
    await store.update(id, (s) => {
      s.delivery = null;
      s.coveredUntil = digest.until;
    });
    return { period, at, status: 'posted', items: digest.entries.length, messages: posted };
  }

  /** Saves how the run ended; pauses after too many failures in a row and tells the creator. */
  private async record(subscription: Subscription, record: RunRecord): Promise<RunOutcome> {
    const { store, log } = this.deps;
    const failed = record.status === 'failed';
    const saved = await store.update(subscription.id, (s) => {
      s.lastRun = record;
      if (failed) {
        s.consecutiveFailures += 1;
        if (s.consecutiveFailures >= this.deps.maxFailures)
          s.paused = { at: record.at, reason: record.error ?? 'repeated failures' };
      } else {
        s.consecutiveFailures = 0;
      }
    });
    log.info(
      {
        subscription: subscription.id,
        period: record.period,
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
      period: record.period,
      status: record.status,
      items: record.items ?? 0,
      error: record.error,
    };
  }

  private wakeNow(): void {
    this.wakeDone = this.wake();
  }

  private async wake(): Promise<void> {
    if (this.stopped) return;
    this.clearTimer();
    this.waking = true;
    try {
      await this.runDue();
    } catch (error) {
      this.deps.log.error({ err: error }, 'digest scheduler failed; trying again shortly');
    } finally {
      this.waking = false;
    }
    this.arm();
  }

  /** The subscriptions changed: sleep until the (possibly new) first run time. */
  private rearm(): void {
    // A wake in progress arms the timer itself when it ends, from the subscriptions as they are then.
    if (this.stopped || this.waking) return;
    this.arm();
  }

  private arm(): void {
    if (this.stopped) return;
    this.clearTimer();
    const now = this.deps.now().getTime();
    const next = this.deps.store
      .all()
      .filter((s) => !s.paused)
      .map((s) => this.upcoming(s, 1)[0]?.getTime() ?? Number.POSITIVE_INFINITY)
      .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const delay = Math.min(MAX_SLEEP_MS, Math.max(1000, next - now + 50));
    this.timer = this.timers.set(() => this.wakeNow(), delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
