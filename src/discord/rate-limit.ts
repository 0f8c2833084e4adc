/**
 * At most `limit` questions per person per minute. The first question over the limit gets one notice;
 * further ones in the same minute get nothing, so a flood is not answered with a flood.
 */
export class QuestionRateLimit {
  private readonly recent = new Map<string, { times: number[]; noticed: boolean }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** 'ok' to answer, 'notice' to send the one notice, 'silent' to ignore. */
  check(userId: string): { verdict: 'ok' | 'notice' | 'silent'; retryInSeconds: number } {
    const now = this.now();
    const entry = this.recent.get(userId) ?? { times: [], noticed: false };
    entry.times = entry.times.filter((t) => now - t < this.windowMs);
    if (entry.times.length === 0) entry.noticed = false;
    this.recent.set(userId, entry);
    const oldest = entry.times[0] ?? now;
    const retryInSeconds = Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    if (entry.times.length < this.limit) {
      entry.times.push(now);
      entry.noticed = false;
      return { verdict: 'ok', retryInSeconds: 0 };
    }
    if (entry.noticed) return { verdict: 'silent', retryInSeconds };
    entry.noticed = true;
    return { verdict: 'notice', retryInSeconds };
  }
}
