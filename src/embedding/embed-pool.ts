import { Worker } from 'node:worker_threads';
import {
  packBatch,
  type ReadyMessage,
  type ResultMessage,
  unpackResults,
  type WorkerSetup,
} from './embed-messages.js';
import type { PieceEmbedding, PieceIds } from './embedding-batch.js';

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  loaded: boolean;
  jobs: Set<number>;
}

interface Job {
  rows: PieceIds[];
  resolve: (results: PieceEmbedding[]) => void;
  reject: (error: Error) => void;
}

/**
 * Worker threads that each hold their own onnxruntime session and embed whole batches, so that several
 * batches run at once (one per core) and the calling thread stays free. Started on first use; stopped when
 * idle for `idleMs` (each holds a copy of the model) and by `dispose`. Idle workers never keep the process
 * alive.
 */
export class EmbedPool {
  private workers: PoolWorker[] | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextJob = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Callers waiting on the workers (jobs, warming up): while any wait, the workers keep the process alive. */
  private holds = 0;

  constructor(
    private readonly setup: WorkerSetup,
    readonly size: number,
    private readonly idleMs: number,
  ) {}

  /** Inputs embedded by the workers so far. */
  embedded = 0;

  /** True from the start of the workers until they stop (idle, failed or disposed). */
  get isRunning(): boolean {
    return this.workers !== null;
  }

  /** True when every worker is running and has loaded the model. */
  get isReady(): boolean {
    return this.workers?.every((w) => w.loaded) ?? false;
  }

  /** Embeds one batch on the worker with the fewest batches waiting. */
  async run(rows: PieceIds[]): Promise<PieceEmbedding[]> {
    const workers = this.start();
    const target = workers.reduce((best, w) => (w.jobs.size < best.jobs.size ? w : best));
    const job = this.nextJob++;
    const results = new Promise<PieceEmbedding[]>((resolve, reject) => {
      this.jobs.set(job, { rows, resolve, reject });
    });
    target.jobs.add(job);
    this.hold();
    target.ready.then(
      () => {
        const message = packBatch(job, rows);
        target.worker.postMessage(message, [
          message.ids.buffer,
          message.pieceLengths.buffer,
          message.pieceCounts.buffer,
        ]);
      },
      (error: Error) => this.jobs.get(job)?.reject(error),
    );
    try {
      const embedded = await results;
      this.embedded += rows.length;
      return embedded;
    } finally {
      target.jobs.delete(job);
      this.jobs.delete(job);
      this.release();
    }
  }

  /** Starts the workers (when not running) and resolves once every one has loaded the model. */
  async warm(): Promise<void> {
    const workers = this.start();
    this.hold();
    try {
      await Promise.all(workers.map((w) => w.ready));
    } finally {
      this.release();
    }
  }

  /** Stops every worker; batches still running are rejected. */
  async dispose(): Promise<void> {
    await this.stop(new Error('the embedder was disposed'));
  }

  private start(): PoolWorker[] {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.workers ??= Array.from({ length: this.size }, () => this.spawn());
    return this.workers;
  }

  private spawn(): PoolWorker {
    const worker = spawnEmbedWorker(this.setup);
    const entry: PoolWorker = { worker, jobs: new Set(), ready: Promise.resolve(), loaded: false };
    entry.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (message: ReadyMessage) => {
        entry.loaded = message.ready;
        if (message.ready) resolve();
        else reject(new Error(`an embedding worker could not load the model: ${message.error}`));
      });
    });
    // Awaited by every job sent to this worker; this handler only keeps a failed start from going unheard.
    entry.ready.catch((error: Error) => void this.stop(error));
    worker.on('message', (message: ResultMessage | ReadyMessage) => {
      if (!('job' in message)) return;
      const job = this.jobs.get(message.job);
      if (!job) return;
      if ('error' in message) job.reject(new Error(message.error));
      else job.resolve(unpackResults(message, job.rows));
    });
    worker.on('error', (error) => void this.stop(error));
    worker.on('exit', (code) => {
      if (this.workers?.includes(entry))
        void this.stop(new Error(`an embedding worker stopped (code ${code})`));
    });
    worker.unref();
    return entry;
  }

  private hold(): void {
    this.holds++;
    for (const w of this.workers ?? []) w.worker.ref();
  }

  /** When nobody waits any more: let the process exit, and stop the workers after `idleMs`. */
  private release(): void {
    this.holds--;
    if (this.holds > 0 || !this.workers) return;
    for (const w of this.workers) w.worker.unref();
    this.idleTimer = setTimeout(() => void this.stop(null), this.idleMs);
    this.idleTimer.unref();
  }

  private async stop(reason: Error | null): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const job of this.jobs.values()) job.reject(reason ?? new Error('the embedding workers stopped'));
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

/**
 * A worker running `embed-worker`. From the TypeScript sources (tsx, tests) the worker registers tsx
 * itself, since Node 20 does not pass the parent's module hooks on to workers.
 */
function spawnEmbedWorker(setup: WorkerSetup): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./embed-worker.js', here), { workerData: setup });
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./embed-worker.ts', here).href);
  const boot = `import(${api}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(boot, { eval: true, workerData: setup });
}
