/** When to poll a feed next, and when to try a failed item again. Pure; `random` is injected. */

/** Polls spread by up to ±10% of the interval, so feeds added together do not stay in lockstep. */
export const JITTER = 0.1;
/** First retry after a failure; doubled at each further failure. */
export const BACKOFF_BASE_MS = 60_000;
/** A failing feed is still tried at least this often. */
export const BACKOFF_MAX_MS = 6 * 3_600_000;
/** A failed item is tried again after 5 min, 10 min, 20 min… and given up after this many attempts. */
export const ITEM_BACKOFF_BASE_MS = 5 * 60_000;
export const MAX_ITEM_ATTEMPTS = 6;

const jitter = (ms: number, random: () => number) => Math.round(ms * (1 + JITTER * (2 * random() - 1)));

export function nextPollAfterSuccess(now: Date, intervalMinutes: number, random: () => number): Date {
  return new Date(now.getTime() + jitter(intervalMinutes * 60_000, random));
}

/** Exponential backoff from one minute, capped at six hours, never sooner than the server's Retry-After. */
export function nextPollAfterFailure(
  now: Date,
  failures: number,
  random: () => number,
  retryAfterSeconds?: number,
): Date {
  const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  const delay = Math.max(jitter(backoff, random), (retryAfterSeconds ?? 0) * 1000);
  return new Date(now.getTime() + Math.min(delay, 24 * 3_600_000));
}

export function nextItemAttempt(now: Date, attempts: number, random: () => number): Date {
  return new Date(now.getTime() + jitter(ITEM_BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), random));
}
