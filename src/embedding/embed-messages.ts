import type { PieceEmbedding, PieceIds, SpecialTokens } from './embedding-batch.js';
import type { ModelSource } from './model-source.js';

/**
 * What passes between the embedder and its worker threads. Batches and results travel as a few flat typed
 * arrays whose buffers are transferred, not cloned, so a batch costs no copying of its own.
 */

/** `workerData` of an embedding worker. */
export interface WorkerSetup {
  source: ModelSource;
  cacheDir: string;
  threads: number;
  specials: SpecialTokens;
}

/** A batch: every piece's token ids back to back, each piece's length, each input's number of pieces. */
export interface BatchMessage {
  job: number;
  ids: Int32Array<ArrayBuffer>;
  pieceLengths: Int32Array<ArrayBuffer>;
  pieceCounts: Int32Array<ArrayBuffer>;
}

/** Results of a batch: input vectors back to back, then every piece's vector back to back. */
export type ResultMessage =
  | { job: number; dimension: number; vectors: Float32Array<ArrayBuffer>; pieces: Float32Array<ArrayBuffer> }
  | { job: number; error: string };

export type ReadyMessage = { ready: true } | { ready: false; error: string };

export function packBatch(job: number, rows: PieceIds[]): BatchMessage {
  const pieceCounts = Int32Array.from(rows, (pieces) => pieces.length);
  const pieceLengths = Int32Array.from(rows.flat(), (piece) => piece.length);
  const ids = new Int32Array(pieceLengths.reduce((n, length) => n + length, 0));
  let at = 0;
  for (const pieces of rows)
    for (const piece of pieces) {
      ids.set(piece, at);
      at += piece.length;
    }
  return { job, ids, pieceLengths, pieceCounts };
}

export function unpackBatch(message: BatchMessage): PieceIds[] {
  let piece = 0;
  let at = 0;
  return Array.from(message.pieceCounts, (count) =>
    Array.from({ length: count }, () => {
      const length = message.pieceLengths[piece++] as number;
      const ids = Array.from(message.ids.subarray(at, at + length));
      at += length;
      return ids;
    }),
  );
}

export function packResults(job: number, results: PieceEmbedding[], dimension: number): ResultMessage {
  const vectors = new Float32Array(results.length * dimension);
  const pieces = new Float32Array(results.reduce((n, r) => n + r.pieces.length, 0) * dimension);
  let at = 0;
  results.forEach((result, i) => {
    vectors.set(result.vector, i * dimension);
    for (const piece of result.pieces) {
      pieces.set(piece, at);
      at += dimension;
    }
  });
  return { job, dimension, vectors, pieces };
}

/** The results of a batch sent as `packBatch(job, rows)`; vectors are views into the received buffers. */
export function unpackResults(
  message: Extract<ResultMessage, { dimension: number }>,
  rows: PieceIds[],
): PieceEmbedding[] {
  const { dimension, vectors, pieces } = message;
  let at = 0;
  return rows.map((row, i) => ({
    vector: vectors.subarray(i * dimension, (i + 1) * dimension),
    pieces: row.map(() => {
      const piece = pieces.subarray(at, at + dimension);
      at += dimension;
      return piece;
    }),
  }));
}
