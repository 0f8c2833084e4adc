import type { ArchiveScope } from '../search/scope.js';
import type { Schedule } from './schedule.js';
import type { SubscriptionStore } from './store.js';
import type { DigestTarget, Subscription } from './subscription.js';

/** Most stories one digest may hold, and how many it holds unless asked. */
export const MAX_DIGEST_ITEMS = 25;
export const DEFAULT_DIGEST_ITEMS = 10;

/** What a person asks for when subscribing (already checked: schedule parsed, time zone known). */
export interface SubscriptionRequest {
  target: DigestTarget;
  /** The server it is made in (null in a DM with the bot). */
  guildId: string | null;
  createdBy: string;
  schedule: Schedule;
  timeZone: string;
  topic: string | null;
  outlet: string | null;
  maxItems?: number | null;
  postWhenEmpty?: boolean | null;
  everythingAdded?: boolean | null;
  /** The part of the archive it covers besides topic and outlet (an alert made from an answer). */
  scope?: ArchiveScope | null;
  /** The answer whose 🔔 Alert me button made it. */
  fromAnswer?: string | null;
}

/**
 * The use cases on subscriptions, for /digest and anything else that manages them: the records are built
 * here (with their bookkeeping fields) rather than by each caller.
 */
export class Subscriptions {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly now: () => Date,
  ) {}

  /** Saves a new subscription; its first run is its schedule's next time. */
  async subscribe(request: SubscriptionRequest): Promise<Subscription> {
    const subscription: Subscription = {
      id: this.store.newId(),
      target: request.target,
      guildId: request.guildId,
      createdBy: request.createdBy,
      createdAt: this.now().toISOString(),
      schedule: request.schedule,
      timeZone: request.timeZone,
      topic: request.topic,
      outlet: request.outlet,
      maxItems: request.maxItems ?? DEFAULT_DIGEST_ITEMS,
      postWhenEmpty: request.postWhenEmpty ?? false,
      everythingAdded: request.everythingAdded ?? false,
      lastPeriod: null,
      coveredUntil: null,
      lastRun: null,
      consecutiveFailures: 0,
      paused: null,
      delivery: null,
      scope: request.scope ?? null,
      fromAnswer: request.fromAnswer ?? null,
    };
    await this.store.add(subscription);
    return subscription;
  }

  /** Stops a subscription for good. */
  unsubscribe(id: string): Promise<boolean> {
    return this.store.remove(id);
  }

  /** Restarts a subscription paused after failures, with its failure count cleared. */
  resume(id: string): Promise<Subscription | undefined> {
    return this.store.update(id, (s) => {
      s.paused = null;
      s.consecutiveFailures = 0;
    });
  }
}
