import {
  AutoModel,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  Tensor,
} from '@huggingface/transformers';
import { UserFacingError } from '../errors.js';
import { sha256 } from '../util/hash.js';
import { SerialQueue } from '../util/serial-queue.js';
import { type EmbeddingDtype, hubModelFailure, resolveModelSource } from './model-source.js';
import { normalize } from './vectors.js';

export interface EmbedderOptions {
  model: string;
  dtype: EmbeddingDtype;
  /** Hub downloads are cached here (never inside node_modules, which `npm ci` wipes). */
  cacheDir: string;
  /** Called once with a note about the weights actually loaded (e.g. the fp32 fallback). */
  onNote?: (note: string) => void;
}

/** What an index records about the model that built it. */
export interface ModelInfo {
  name: string;
  dtype: EmbeddingDtype;
  dimension: number;
  /** Changes whenever vectors from two models would not be comparable. */
  key: string;
  /** Longest input in tokens, special tokens included. */
  maxTokens: number;
}

/** One input as the token ids of its pieces (sentences), without special tokens. */
export type PieceIds = number[][];

export interface PieceEmbedding {
  /** Mean-pooled over every token (special tokens included, as feature-extraction does), normalised. */
  vector: Float32Array;
  /** Per piece: mean of its own tokens' contextual vectors (not normalised), for quotes and digests. */
  pieces: Float32Array[];
}

/** The longest passage we feed the model even when it accepts more (MiniLM was trained on 128–256). */
const MAX_MODEL_TOKENS = 256;
/** Batches hold inputs of similar length; padding beyond this many tokens per batch is not worth it. */
const BATCH_TOKEN_BUDGET = 4096;
const MAX_BATCH = 16;

/**
 * transformers.js feature extraction with mean pooling and normalisation, run on token ids we assemble
 * ourselves so that one forward pass also yields a vector for every sentence of a passage.
 */
export class Embedder {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly prefix: number[],
    private readonly suffix: number[],
    readonly info: ModelInfo,
  ) {}

  static async load(options: EmbedderOptions): Promise<Embedder> {
    const source = resolveModelSource(options.model, options.dtype);
    if (source.note) options.onNote?.(source.note);
    env.cacheDir = options.cacheDir;
    if (source.localRoot) {
      env.localModelPath = source.localRoot;
      env.allowLocalModels = true;
      env.allowRemoteModels = false;
    } else {
      env.allowRemoteModels = true;
    }
    const local_files_only = source.localRoot !== null;
    let tokenizer: PreTrainedTokenizer;
    let model: PreTrainedModel;
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.modelId, { local_files_only });
      model = await AutoModel.from_pretrained(source.modelId, { dtype: source.dtype, local_files_only });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserFacingError(
        source.localRoot
          ? `Could not load the embedding model folder ${options.model} (${reason}). It needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.`
          : hubModelFailure(options.model, reason),
      );
    }
    const withSpecials = tokenizer.encode('a', { add_special_tokens: true });
    const bare = tokenizer.encode('a', { add_special_tokens: false });
    const at = withSpecials.indexOf(bare[0] as number);
    const prefix = withSpecials.slice(0, at);
    const suffix = withSpecials.slice(at + bare.length);
    const config = model.config as unknown as Record<string, unknown>;
    const positions = Number(config.max_position_embeddings ?? MAX_MODEL_TOKENS);
    const maxTokens = Math.min(MAX_MODEL_TOKENS, tokenizer.model_max_length, positions);

    const embedder = new Embedder(tokenizer, model, prefix, suffix, {
      name: options.model,
      dtype: source.dtype,
      dimension: 0,
      key: '',
      maxTokens,
    });
    const probe = await embedder.embedPieces([[bare]]);
    const dimension = probe[0]?.vector.length ?? 0;
    const key = sha256(JSON.stringify([source.modelId, source.dtype, dimension, config]), 16);
    Object.assign(embedder.info, { dimension, key });
    return embedder;
  }

  /** Tokens added around every input ([CLS] ... [SEP] for BERT). */
  get specialTokenCount(): number {
    return this.prefix.length + this.suffix.length;
  }

  /** Token ids of a text, without special tokens. */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }

  /**
   * Embeds inputs given as pieces of token ids. Inputs are sorted by length and batched with others of
   * similar length, because padding a short passage to the longest of a mixed batch wastes most of the work.
   * Results come back in input order.
   */
  async embedPieces(inputs: PieceIds[], onProgress?: (done: number) => void): Promise<PieceEmbedding[]> {
    const lengths = inputs.map((pieces) => this.specialTokenCount + pieces.reduce((n, p) => n + p.length, 0));
    const order = inputs.map((_, i) => i).sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0));
    const results = new Array<PieceEmbedding>(inputs.length);
    let done = 0;
    for (let from = 0; from < order.length; ) {
      // Sorted ascending, so the next input is the longest of the batch if it joins.
      let to = from + 1;
      while (to < order.length && to - from < MAX_BATCH) {
        const longest = Math.min(lengths[order[to] as number] ?? 0, this.info.maxTokens);
        if ((to - from + 1) * longest > BATCH_TOKEN_BUDGET) break;
        to++;
      }
      const batch = order.slice(from, to);
      const embedded = await this.queue.run(() => this.forward(batch.map((i) => inputs[i] as PieceIds)));
      batch.forEach((inputIndex, k) => {
        results[inputIndex] = embedded[k] as PieceEmbedding;
      });
      done += batch.length;
      onProgress?.(done);
      from = to;
    }
    return results;
  }

  /** A question: its full vector (as passages are pooled) and its content-only vector (as sentences are). */
  async embedQuery(text: string): Promise<{ vector: Float32Array; content: Float32Array }> {
    const ids = this.tokenize(text).slice(0, this.info.maxTokens - this.specialTokenCount);
    const [result] = await this.queue.run(() => this.forward([[ids]]));
    const piece = result?.pieces[0];
    if (!result || !piece) throw new Error('embedding produced no output');
    return { vector: result.vector, content: normalize(Float32Array.from(piece)) };
  }

  /** Normalised whole-text vectors, truncated to the model's length. */
  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    const inputs = texts.map((t) => [
      this.tokenize(t).slice(0, this.info.maxTokens - this.specialTokenCount),
    ]);
    return (await this.embedPieces(inputs)).map((r) => r.vector);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  /** One forward pass over a batch; pools each input and each of its pieces. */
  private async forward(batch: PieceIds[]): Promise<PieceEmbedding[]> {
    const budget = this.info.maxTokens - this.specialTokenCount;
    const rows = batch.map((pieces) => clipPieces(pieces, budget));
    const width = Math.max(
      ...rows.map((pieces) => this.specialTokenCount + pieces.reduce((n, p) => n + p.length, 0)),
    );
    const size = batch.length * width;
    const ids = new BigInt64Array(size);
    const mask = new BigInt64Array(size);
    rows.forEach((pieces, b) => {
      let t = b * width;
      for (const id of [...this.prefix, ...pieces.flat(), ...this.suffix]) {
        ids[t] = BigInt(id);
        mask[t] = 1n;
        t++;
      }
    });
    const dims = [batch.length, width];
    const output = await this.model({
      input_ids: new Tensor('int64', ids, dims),
      attention_mask: new Tensor('int64', mask, dims),
      token_type_ids: new Tensor('int64', new BigInt64Array(size), dims),
    });
    const hidden = output.last_hidden_state as Tensor;
    const data = hidden.data as Float32Array;
    const dim = hidden.dims[2] as number;
    return rows.map((pieces, b) => {
      const rowStart = b * width * dim;
      const length = this.specialTokenCount + pieces.reduce((n, p) => n + p.length, 0);
      const vector = new Float32Array(dim);
      for (let t = 0; t < length; t++) addInto(vector, data, rowStart + t * dim);
      scaleInPlace(vector, 1 / length);
      let t = this.prefix.length;
      const pieceVectors = pieces.map((piece) => {
        const mean = new Float32Array(dim);
        for (let k = 0; k < piece.length; k++, t++) addInto(mean, data, rowStart + t * dim);
        if (piece.length > 0) scaleInPlace(mean, 1 / piece.length);
        return mean;
      });
      return { vector: normalize(vector), pieces: pieceVectors };
    });
  }
}

/** Drops tokens past the budget (passages are built to fit, so this only guards odd inputs). */
function clipPieces(pieces: PieceIds, budget: number): PieceIds {
  let left = budget;
  return pieces.map((piece) => {
    const kept = piece.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  });
}

function addInto(target: Float32Array, source: Float32Array, offset: number): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] as number) + (source[offset + i] as number);
}

function scaleInPlace(v: Float32Array, factor: number): void {
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * factor;
}
