import { type PreTrainedModel, Tensor } from '@huggingface/transformers';
import { normalize } from '../vectors/vectors.js';

/** One input as the token ids of its pieces (sentences), without special tokens. */
export type PieceIds = number[][];

export interface PieceEmbedding {
  /** Mean-pooled over every token (special tokens included, as feature-extraction does), normalised. */
  vector: Float32Array;
  /** Per piece: mean of its own tokens' contextual vectors (not normalised), for quotes and digests. */
  pieces: Float32Array[];
}

/** Tokens the tokenizer adds around every input ([CLS] ... [SEP] for BERT). */
export interface SpecialTokens {
  prefix: number[];
  suffix: number[];
}

/** How inputs may be grouped into one forward pass. */
export interface BatchLimits {
  /** Most inputs per batch; 1 when batching would change the vectors (dynamically quantized models). */
  maxBatch: number;
  /** A batch stops growing when its padded size (inputs x longest) would pass this many tokens. */
  tokenBudget: number;
}

/**
 * Groups inputs, given their lengths in tokens, into batches of similar length: sorted ascending, so padding
 * a short input to the longest of a mixed batch (which wastes most of the work) stays small. Returns the
 * input indexes of each batch.
 */
export function planBatches(lengths: number[], limits: BatchLimits): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0));
  const batches: number[][] = [];
  for (let from = 0; from < order.length; ) {
    // Sorted ascending, so the next input is the longest of the batch if it joins.
    let to = from + 1;
    while (to < order.length && to - from < limits.maxBatch) {
      if ((to - from + 1) * (lengths[order[to] as number] ?? 0) > limits.tokenBudget) break;
      to++;
    }
    batches.push(order.slice(from, to));
    from = to;
  }
  return batches;
}

/**
 * True when embedding inputs together gives the vectors each gets alone (within 1e-6). Padding is masked
 * out, so a plain model passes; a dynamically quantized one (q8) does not, because it scales each layer's
 * input by the whole batch's range, which moves vectors by about 1e-3. Such a model is run one input at a
 * time, so its vectors stay those of the feature-extraction pipeline.
 */
export async function batchingKeepsVectors(
  forward: (rows: PieceIds[]) => Promise<PieceEmbedding[]>,
  probes: number[][],
): Promise<boolean> {
  const rows = probes.map((ids) => [ids]);
  const together = await forward(rows);
  for (const [i, row] of rows.entries()) {
    const [alone] = await forward([row]);
    const batched = together[i];
    if (!alone || !batched) return false;
    const pairs = [[alone.vector, batched.vector], ...alone.pieces.map((p, k) => [p, batched.pieces[k]])];
    for (const [a, b] of pairs) {
      if (!a || !b || a.length !== b.length) return false;
      for (let j = 0; j < a.length; j++)
        if (Math.abs((a[j] as number) - (b[j] as number)) > 1e-6) return false;
    }
  }
  return true;
}

/** Drops tokens past the budget (passages are built to fit, so this only guards odd inputs). */
export function clipPieces(pieces: PieceIds, budget: number): PieceIds {
  let left = budget;
  return pieces.map((piece) => {
    const kept = piece.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  });
}

/** Length of an input as the model reads it, special tokens included. */
export function inputLength(pieces: PieceIds, specials: SpecialTokens): number {
  let length = specials.prefix.length + specials.suffix.length;
  for (const piece of pieces) length += piece.length;
  return length;
}

/**
 * One forward pass over a batch of inputs that already fit the model; pools each input and each of its
 * pieces. Padding is masked out, so an input's vectors do not depend on its neighbours in the batch unless
 * the model itself mixes them (dynamic quantization does: see `Embedder`).
 */
export async function forwardBatch(
  model: PreTrainedModel,
  specials: SpecialTokens,
  rows: PieceIds[],
): Promise<PieceEmbedding[]> {
  const lengths = rows.map((pieces) => inputLength(pieces, specials));
  const width = Math.max(...lengths);
  const size = rows.length * width;
  const ids = new BigInt64Array(size);
  const mask = new BigInt64Array(size);
  rows.forEach((pieces, b) => {
    let t = b * width;
    for (const part of [[specials.prefix], pieces, [specials.suffix]])
      for (const piece of part)
        for (const id of piece) {
          ids[t] = BigInt(id);
          mask[t] = 1n;
          t++;
        }
  });
  const dims = [rows.length, width];
  const output = await model({
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(size), dims),
  });
  const hidden = output.last_hidden_state as Tensor;
  return poolRows(hidden.data as Float32Array, hidden.dims[2] as number, width, rows, lengths, specials);
}

/**
 * Mean pooling as transformers.js does it (sums in double precision, then one division), over the whole
 * input and over each piece's own tokens.
 */
function poolRows(
  data: Float32Array,
  dim: number,
  width: number,
  rows: PieceIds[],
  lengths: number[],
  specials: SpecialTokens,
): PieceEmbedding[] {
  const sum = new Float64Array(dim);
  const meanOf = (from: number, count: number): Float32Array => {
    sum.fill(0);
    for (let t = 0; t < count; t++) {
      const offset = (from + t) * dim;
      for (let i = 0; i < dim; i++) sum[i] = (sum[i] as number) + (data[offset + i] as number);
    }
    const mean = new Float32Array(dim);
    if (count > 0) for (let i = 0; i < dim; i++) mean[i] = (sum[i] as number) / count;
    return mean;
  };
  return rows.map((pieces, b) => {
    const rowStart = b * width;
    const vector = normalize(meanOf(rowStart, lengths[b] as number));
    let t = rowStart + specials.prefix.length;
    const pieceVectors = pieces.map((piece) => {
      const mean = meanOf(t, piece.length);
      t += piece.length;
      return mean;
    });
    return { vector, pieces: pieceVectors };
  });
}
