import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { FeedFormatError } from '../feeds/parse-feed.js';
import { spawnWorker } from '../util/spawn-worker.js';
import { type ParseJob, type ParseReply, type ParseResults, READY } from './parse-jobs.js';

/** The input was more than parsing may take (time or memory): the caller skips it with this reason. */
export class ParseLimitError extends Error {
  override name = 'ParseLimitError';
}

export interface ParsePoolOptions {
  /** Worker threads (default: one, two on machines with four cores or more). */
  size?: number;
  /** A job running longer than this is stopped (its worker terminated and replaced). Default 60 s. */
  timeoutMs?: number;
  /** Idle workers are stopped after this long. Default 30 s. */
  idleMs?: number;
  /** Heap limit of each worker: a job that needs more is stopped, never the bot. Default 1,024 MB. */
  maxHeapMb?: number;
  /** Starts a worker (tests give their own entry). */
  spawn?: (options: { resourceLimits: { maxOldGenerationSizeMb: number } }) => Worker;
}

interface Waiting {
  id: number;
  job: ParseJob;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** True once the worker has loaded its modules: the time limit counts from there. */
  ready: boolean;
  job: Waiting | null;
  timer: NodeJS.Timeout | null;
}

export const PARSE_TIMEOUT_MS = 60_000;

/**
 * Worker threads that parse what comes from outside (corpus files, fetched pages, feeds), so that no file
 * or page, however large or hostile, stalls the bot's event loop: Discord interactions must be acknowledged
 * within 3 seconds. One job per worker at a time, queued here; a job is bounded in time and memory (its
 * worker is terminated and replaced, the job fails with `ParseLimitError`). Started on first use; idle
 * workers never keep the process alive and stop after `idleMs`.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Waiting[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly maxHeapMb: number;

  constructor(private readonly options: ParsePoolOptions = {}) {
    this.size = options.size ?? (os.availableParallelism() >= 4 ? 2 : 1);
    this.timeoutMs = options.timeoutMs ?? PARSE_TIMEOUT_MS;
    this.idleMs = options.idleMs ?? 30_000;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
  }

  /** Runs one job on a worker; rejects with `ParseLimitError` when it was stopped at a limit. */
  run<K extends ParseJob['kind']>(job: Extract<ParseJob, { kind: K }>): Promise<ParseResults[K]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Jobs queued or running. */
  get busy(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  /** Stops every worker; queued and running jobs are rejected. */
  async dispose(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const error = new Error('the parse pool was stopped');
    for (const waiting of this.queue.splice(0)) waiting.reject(error);
    await Promise.all([...this.slots].map((slot) => this.retire(slot, error)));
  }

  private pump(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.job === null);
      if (!slot) {
        if (this.slots.length < this.size) this.start();
        return;
      }
      const waiting = this.queue.shift() as Waiting;
      this.send(slot, waiting);
    }
    if (this.slots.every((s) => s.job === null)) this.idle();
  }

  private send(slot: Slot, waiting: Waiting): void {
    slot.job = waiting;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      const seconds = Math.round(this.timeoutMs / 100) / 10;
      void this.retire(slot, new ParseLimitError(`took longer than ${seconds} s`));
    }, this.timeoutMs);
    const { job } = waiting;
    // A file's bytes travel in a buffer of their own, moved rather than copied.
    if (job.kind === 'file') {
      const bytes = new Uint8Array(job.bytes);
      slot.worker.postMessage({ id: waiting.id, job: { ...job, bytes } }, [bytes.buffer]);
    } else slot.worker.postMessage({ id: waiting.id, job });
  }

  private start(): void {
    const resourceLimits = { maxOldGenerationSizeMb: this.maxHeapMb };
    const worker = this.options.spawn
      ? this.options.spawn({ resourceLimits })
      : spawnWorker(import.meta.url, 'parse-worker', { resourceLimits });
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    worker.on('message', (reply: ParseReply | typeof READY) => {
      if (reply === READY) {
        slot.ready = true;
        this.pump();
        return;
      }
      const waiting = slot.job;
      if (!waiting || waiting.id !== reply.id) return;
      this.finish(slot);
      if ('error' in reply) waiting.reject(rebuildError(reply.error));
      else waiting.resolve(reply.value);
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const failure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ParseLimitError(`needed more than ${this.maxHeapMb} MB of memory`)
          : new Error(`a parsing worker failed: ${error.message}`);
      void this.retire(slot, failure);
    });
    worker.on('exit', (code) => {
      if (this.slots.includes(slot))
        void this.retire(slot, new Error(`a parsing worker stopped (code ${code})`));
    });
    // Starting up holds the process like a job does (jobs are waiting for it).
    this.slots.push(slot);
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  /** Takes a worker out of the pool (its job, if any, fails with `reason`) and serves the queue with others. */
  private async retire(slot: Slot, reason: Error): Promise<void> {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    const waiting = slot.job;
    this.finish(slot);
    waiting?.reject(reason);
    // A worker that failed before it was ready would fail every job: they fail now, with its reason.
    if (!slot.ready) for (const queued of this.queue.splice(0)) queued.reject(reason);
    const stopped = slot.worker.terminate();
    this.pump();
    await stopped;
  }

  private idle(): void {
    if (this.slots.length === 0) return;
    for (const slot of this.slots) slot.worker.unref();
    this.idleTimer = setTimeout(() => {
      for (const slot of [...this.slots]) if (!slot.job) void this.retire(slot, new Error('idle'));
    }, this.idleMs);
    this.idleTimer.unref();
  }
}

let shared: ParsePool | null = null;

/** The process's parse pool (started on first use). */
export function parsePool(): ParsePool {
  shared ??= new ParsePool();
  return shared;
}

/** The error a job threw, rebuilt on this side with its class where callers tell classes apart. */
function rebuildError(error: { name: string; message: string }): Error {
  if (error.name === 'FeedFormatError') return new FeedFormatError(error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
