/** setTimeout/clearTimeout, injectable so tests decide when time has passed. */
export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** The real timers, unref'd so a pending one never keeps the process alive. */
export const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
