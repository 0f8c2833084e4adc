import type { PieceEmbedding, PieceIds } from './embedding-batch.js';

export type EmbedBatch = (rows: PieceIds[]) => Promise<PieceEmbedding[]>;

/** The part of `EmbedPool` the scheduler uses. */
export interface WorkerLanes {
  readonly size: number;
  readonly isReady: boolean;
  warm(): Promise<void>;
  run: EmbedBatch;
}

export interface ScheduleOptions {
  /** Embeds on the calling thread. */
  here: EmbedBatch;
  /** Worker threads, or null to embed everything here. */
  workers: WorkerLanes | null;
  /** Called once if the workers cannot start; the batches are then embedded here. */
  onWorkersFailed: (error: Error) => void;
  /** Called after each batch with the number of inputs embedded so far. */
  onProgress?: (done: number) => void;
}

/**
 * Embeds every batch and returns their results in batch order. With workers, two batches per worker are in
 * flight, so each has the next one waiting while it runs. The workers take a second or more to load the
 * model; until they are ready the calling thread takes batches itself rather than wait, and it takes them
 * all if the workers cannot start.
 */
export function runBatches(batches: PieceIds[][], options: ScheduleOptions): Promise<PieceEmbedding[][]> {
  const { here, workers } = options;
  return new Promise((resolve, reject) => {
    const results = new Array<PieceEmbedding[]>(batches.length);
    let next = 0;
    let left = batches.length;
    let done = 0;
    let failed = false;
    const lane = async (embed: EmbedBatch, goOn: () => boolean): Promise<void> => {
      while (!failed && next < batches.length && goOn()) {
        const index = next++;
        const rows = batches[index] as PieceIds[];
        results[index] = await embed(rows);
        done += rows.length;
        options.onProgress?.(done);
        if (--left === 0) resolve(results);
      }
    };
    const fail = (error: unknown) => {
      failed = true;
      reject(error);
    };
    if (left === 0) {
      resolve(results);
      return;
    }
    if (workers) {
      workers.warm().then(
        () => {
          for (let k = 0; k < workers.size * 2; k++)
            lane(
              (rows) => workers.run(rows),
              () => true,
            ).catch(fail);
        },
        (error: Error) => {
          options.onWorkersFailed(error);
          lane(here, () => true).catch(fail);
        },
      );
    }
    lane(here, () => !workers?.isReady).catch(fail);
  });
}
