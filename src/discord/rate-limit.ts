import { ExpiringCache } from '../util/expiring-cache.js';

/** People remembered at once; beyond that the least recently seen are forgotten first. */
const MAX_PEOPLE = 10_000;

/**
 * At most `limit` messages per person per minute. The first one over the limit gets one notice; further
 * ones in the same minute get nothing, so a flood is not answered with a flood. A person is forgotten a
 * minute after their last message, so memory holds only who wrote recently.
 */
export class QuestionRateLimit {
  private readonly recent: ExpiringCache<string, { times: number[]; noticed: boolean }>;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
    maxPeople = MAX_PEOPLE,
  ) {
    this.recent = new ExpiringCache(maxPeople);
  }

  /** People currently remembered. */
  get tracked(): number {
    return this.recent.size;
  }

  /** 'ok' to answer, 'notice' to send the one notice, 'silent' to ignore. */
  check(userId: string): { verdict: 'ok' | 'notice' | 'silent'; retryInSeconds: number } {
    const now = this.now();
    // Forget everyone whose window has passed, a few times a minute rather than on every message.
    if (now - this.lastSweep >= this.windowMs / 6) {
      this.recent.sweep(now);
      this.lastSweep = now;
    }
    const entry = this.recent.get(userId, now) ?? { times: [], noticed: false };
    entry.times = entry.times.filter((t) => now - t < this.windowMs);
    if (entry.times.length === 0) entry.noticed = false;
    const oldest = entry.times[0] ?? now;
    const retryInSeconds = Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    let verdict: 'ok' | 'notice' | 'silent';
    if (entry.times.length < this.limit) {
      entry.times.push(now);
      entry.noticed = false;
      verdict = 'ok';
    } else {
      verdict = entry.noticed ? 'silent' : 'notice';
      entry.noticed = true;
    }
    // Remembered until its newest message leaves the window.
    const newest = entry.times.at(-1) ?? now;
    this.recent.set(userId, entry, newest + this.windowMs - now, now);
    return verdict === 'ok' ? { verdict, retryInSeconds: 0 } : { verdict, retryInSeconds };
  }
}
