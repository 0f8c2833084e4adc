import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBatches, type WorkerLanes } from '../src/embedding/batch-scheduler.js';
import { packBatch, packResults, unpackBatch, unpackResults } from '../src/embedding/embed-messages.js';
import {
  batchingKeepsVectors,
  type PieceEmbedding,
  type PieceIds,
  planBatches,
} from '../src/embedding/embedding-batch.js';

/** A fake embedding: the input's first token id, so a result shows which input it belongs to. */
function fakeEmbed(rows: PieceIds[]): PieceEmbedding[] {
  return rows.map((pieces) => ({
    vector: Float32Array.of(pieces[0]?.[0] ?? -1),
    pieces: pieces.map((p) => Float32Array.of(p.length)),
  }));
}

function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (e: Error) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const batchesOf = (...ids: number[][]): PieceIds[][] => ids.map((batch) => batch.map((id) => [[id]]));

describe('batches', () => {
  it('groups inputs of similar length, shortest first, within the batch size and the padded-token budget', () => {
    assert.deepEqual(planBatches([5, 50, 6, 49, 7], { maxBatch: 2, tokenBudget: 1000 }), [
      [0, 2],
      [4, 3],
      [1],
    ]);
    assert.deepEqual(planBatches([100, 100, 100], { maxBatch: 16, tokenBudget: 250 }), [[0, 1], [2]]);
    assert.deepEqual(planBatches([3, 1, 2], { maxBatch: 1, tokenBudget: 4096 }), [[1], [2], [0]]);
    assert.deepEqual(planBatches([], { maxBatch: 16, tokenBudget: 4096 }), []);
  });

  it('sends batches and results between threads unchanged', () => {
    const rows: PieceIds[] = [[[101, 7, 8], [], [9]], [[5]]];
    assert.deepEqual(unpackBatch(packBatch(3, rows)), rows);
    const results = [
      {
        vector: Float32Array.of(1, 2),
        pieces: [Float32Array.of(3, 4), Float32Array.of(5, 6), Float32Array.of(7, 8)],
      },
      { vector: Float32Array.of(9, 10), pieces: [Float32Array.of(11, 12)] },
    ];
    const message = packResults(3, results, 2);
    assert.ok('vectors' in message);
    assert.deepEqual(unpackResults(message, rows), results);
  });

  it('sees that a dynamically quantized model mixes a batch, and a plain one does not', async () => {
    // As dynamic quantization does: every value is rounded on a grid set by the whole batch's largest value.
    const quantized = async (rows: PieceIds[]): Promise<PieceEmbedding[]> => {
      const scale = Math.max(...rows.flat(2)) / 127;
      return rows.map((pieces) => ({
        vector: Float32Array.from(pieces.flat(), (id) => Math.round(id / scale) * scale),
        pieces: [],
      }));
    };
    const plain = async (rows: PieceIds[]) => fakeEmbed(rows);
    const probes = [[3], [1000, 2000, 5]];
    assert.equal(await batchingKeepsVectors(quantized, probes), false);
    assert.equal(await batchingKeepsVectors(plain, probes), true);
  });
});

describe('batch scheduling', () => {
  it('embeds on this thread until the workers are ready, then on the workers, results in batch order', async () => {
    const ready = deferred();
    const firstHere = deferred<PieceEmbedding[]>();
    const ran: string[] = [];
    let isReady = false;
    const workers: WorkerLanes = {
      size: 1,
      get isReady() {
        return isReady;
      },
      warm: () => ready.promise,
      run: async (rows) => {
        ran.push(`worker ${rows[0]?.[0]?.[0]}`);
        return fakeEmbed(rows);
      },
    };
    const batches = batchesOf([1, 2], [3], [4], [5], [6]);
    const results = runBatches(batches, {
      here: (rows) => {
        ran.push(`here ${rows[0]?.[0]?.[0]}`);
        return firstHere.promise;
      },
      workers,
      onWorkersFailed: () => assert.fail('the workers started'),
    });
    await Promise.resolve();
    isReady = true;
    ready.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    firstHere.resolve(fakeEmbed(batches[0] as PieceIds[]));
    const embedded = await results;
    assert.deepEqual(ran, ['here 1', 'worker 3', 'worker 4', 'worker 5', 'worker 6']);
    assert.deepEqual(
      embedded.map((batch) => batch.map((r) => r.vector[0])),
      [[1, 2], [3], [4], [5], [6]],
    );
  });

  it('embeds everything on this thread when the workers cannot start, and says so once', async () => {
    const failures: string[] = [];
    const progress: number[] = [];
    const workers: WorkerLanes = {
      size: 2,
      isReady: false,
      warm: () => Promise.reject(new Error('no model')),
      run: () => assert.fail('no worker runs'),
    };
    const embedded = await runBatches(batchesOf([1], [2, 3], [4]), {
      here: async (rows) => fakeEmbed(rows),
      workers,
      onWorkersFailed: (error) => failures.push(error.message),
      onProgress: (done) => progress.push(done),
    });
    assert.deepEqual(
      embedded.map((batch) => batch.map((r) => r.vector[0])),
      [[1], [2, 3], [4]],
    );
    assert.deepEqual(progress, [1, 3, 4]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(failures, ['no model']);
  });

  it('keeps two batches per worker in flight', async () => {
    const inFlight = { now: 0, most: 0 };
    const gates: Array<() => void> = [];
    const workers: WorkerLanes = {
      size: 2,
      isReady: true,
      warm: async () => {},
      run: async (rows) => {
        inFlight.most = Math.max(inFlight.most, ++inFlight.now);
        await new Promise<void>((resolve) => gates.push(resolve));
        inFlight.now--;
        return fakeEmbed(rows);
      },
    };
    const results = runBatches(batchesOf([1], [2], [3], [4], [5], [6]), {
      here: () => assert.fail('the workers are ready'),
      workers,
      onWorkersFailed: () => assert.fail('the workers started'),
    });
    let finished = false;
    void results.then(() => {
      finished = true;
    });
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const open of gates.splice(0)) open();
    }
    assert.equal((await results).length, 6);
    assert.equal(inFlight.most, 4);
  });

  it('fails the whole job when a batch fails', async () => {
    await assert.rejects(
      runBatches(batchesOf([1], [2]), {
        here: async () => {
          throw new Error('model error');
        },
        workers: null,
        onWorkersFailed: () => {},
      }),
      /model error/,
    );
  });
});
