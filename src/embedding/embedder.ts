import os from 'node:os';
import { AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { describeError, HubUnreachableError, isNetworkFailure, UserFacingError } from '../errors.js';
import { sha256 } from '../util/hash.js';
import { SerialQueue } from '../util/serial-queue.js';
import { normalize } from '../vectors/vectors.js';
import { runBatches } from './batch-scheduler.js';
import { EmbedPool } from './embed-pool.js';
import {
  type BatchLimits,
  batchingKeepsVectors,
  clipPieces,
  forwardBatch,
  inputLength,
  type PieceEmbedding,
  type PieceIds,
  planBatches,
  type SpecialTokens,
} from './embedding-batch.js';
import { openModel, useModelSource } from './model-loading.js';
import { type EmbeddingDtype, hubModelFailure, resolveModelSource } from './model-source.js';

export type { PieceEmbedding, PieceIds } from './embedding-batch.js';

export interface EmbedderOptions {
  model: string;
  dtype: EmbeddingDtype;
  /** Hub downloads are cached here (never inside node_modules, which `npm ci` wipes). */
  cacheDir: string;
  /** Called with a note when the model runs otherwise than asked (the fp32 fallback, workers that cannot start). */
  onNote?: (note: string) => void;
  /**
   * Worker threads for large jobs such as an ingest, each with its own copy of the model; 0 embeds everything
   * on the calling thread. Default: one per core, at most 4.
   */
  workers?: number;
  /** Workers left idle this long are stopped, each holding a copy of the model. Default: one minute. */
  workerIdleMs?: number;
  /** The Hugging Face Hub's address (`HF_ENDPOINT`, a mirror); default https://huggingface.co/. */
  hubUrl?: string | null;
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

/** How large jobs are run, as chosen for the loaded model and machine. */
export interface BatchingPlan extends BatchLimits {
  /** Worker threads (0: none), started for a job of at least `poolFrom` inputs or by `startWorkers`. */
  workers: number;
  poolFrom: number;
}

/** The longest passage we feed the model even when it accepts more (MiniLM was trained on 128–256). */
const MAX_MODEL_TOKENS = 256;
/**
 * Batches hold at most this many inputs of similar length. With one thread per session, batches of 2 to 4
 * passages cost the least CPU per token (fp32: 320-360 ms per 1,000 tokens, against 340-430 one at a time
 * and 410-450 in batches of 16); larger batches no longer fit the core's cache.
 */
const MAX_BATCH = 4;
/** Padded tokens per batch: four inputs of the longest length we feed. */
const BATCH_TOKEN_BUDGET = MAX_BATCH * MAX_MODEL_TOKENS;
/**
 * Below this many inputs (about 18,000 tokens, a second or two of work) starting the workers, which takes
 * about as long, does not pay; workers already running take any job.
 */
const POOL_FROM_INPUTS = 256;
/** Idle workers are stopped after this long: each holds a copy of the model. */
const POOL_IDLE_MS = 60_000;
const MAX_DEFAULT_WORKERS = 4;

/**
 * transformers.js feature extraction with mean pooling and normalisation, run on token ids we assemble
 * ourselves so that one forward pass also yields a vector for every sentence of a passage. Large jobs run
 * on worker threads, one single-threaded onnxruntime session per core; questions run on this thread.
 */
export class Embedder {
  private readonly queue = new SerialQueue();
  private pool: EmbedPool | null = null;
  private onNote: ((note: string) => void) | undefined;
  private embeddedHere = 0;
  /** Filled in by `load` once the model has been probed. */
  readonly batching: Readonly<BatchingPlan> = {
    maxBatch: 1,
    tokenBudget: BATCH_TOKEN_BUDGET,
    workers: 0,
    poolFrom: POOL_FROM_INPUTS,
  };

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly specials: SpecialTokens,
    readonly info: ModelInfo,
  ) {}

  static async load(options: EmbedderOptions): Promise<Embedder> {
    const source = resolveModelSource(options.model, options.dtype);
    if (source.note) options.onNote?.(source.note);
    useModelSource(source, options.cacheDir, options.hubUrl ?? null);
    let tokenizer: PreTrainedTokenizer;
    let model: PreTrainedModel;
    try {
      tokenizer = await AutoTokenizer.from_pretrained(source.modelId, {
        local_files_only: source.localRoot !== null,
      });
      model = await openModel(source);
    } catch (error) {
      const reason = describeError(error);
      if (!source.localRoot && isNetworkFailure(error))
        throw new HubUnreachableError(hubModelFailure(options.model, reason));
      throw new UserFacingError(
        source.localRoot
          ? `Could not load the embedding model folder ${options.model} (${reason}). It needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx.`
          : hubModelFailure(options.model, reason),
      );
    }
    const withSpecials = tokenizer.encode('a', { add_special_tokens: true });
    const bare = tokenizer.encode('a', { add_special_tokens: false });
    const at = withSpecials.indexOf(bare[0] as number);
    const specials = { prefix: withSpecials.slice(0, at), suffix: withSpecials.slice(at + bare.length) };
    const config = model.config as unknown as Record<string, unknown>;
    const positions = Number(config.max_position_embeddings ?? MAX_MODEL_TOKENS);
    const maxTokens = Math.min(MAX_MODEL_TOKENS, tokenizer.model_max_length, positions);

    const embedder = new Embedder(tokenizer, model, specials, {
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
    const batchable = await batchingKeepsVectors(
      (rows) => forwardBatch(model, specials, rows),
      [bare, embedder.tokenize('The council approved the new budget for schools and roads on Tuesday.')],
    );
    const cores = os.availableParallelism();
    const workers = options.workers ?? Math.min(MAX_DEFAULT_WORKERS, cores);
    Object.assign(embedder.batching, { maxBatch: batchable ? MAX_BATCH : 1, workers });
    if (workers > 0) {
      // The cores shared out: one thread per worker on this 2-core machine.
      const threads = Math.max(1, Math.floor(cores / workers));
      const setup = { source, cacheDir: options.cacheDir, threads, specials };
      embedder.pool = new EmbedPool(setup, workers, options.workerIdleMs ?? POOL_IDLE_MS);
    }
    embedder.onNote = options.onNote;
    return embedder;
  }

  /** Tokens added around every input ([CLS] ... [SEP] for BERT). */
  get specialTokenCount(): number {
    return this.specials.prefix.length + this.specials.suffix.length;
  }

  /** Token ids of a text, without special tokens. */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false });
  }

  /**
   * Embeds inputs given as pieces of token ids, in batches of similar length (`planBatches`). A job of at
   * least `batching.poolFrom` inputs, or any job while the workers run, is embedded on the worker threads,
   * two batches per worker in flight so that
   * each has the next one waiting; until the workers have loaded the model, this thread embeds (and alone
   * if they cannot start). Results come back in input order.
   */
  async embedPieces(inputs: PieceIds[], onProgress?: (done: number) => void): Promise<PieceEmbedding[]> {
    const budget = this.info.maxTokens - this.specialTokenCount;
    const rows = inputs.map((pieces) => clipPieces(pieces, budget));
    const batches = planBatches(
      rows.map((pieces) => inputLength(pieces, this.specials)),
      this.batching,
    );
    const pool =
      this.pool && (this.pool.isRunning || inputs.length >= this.batching.poolFrom) ? this.pool : null;
    // Longest first on the workers, so that no worker is left with a long batch at the very end.
    if (pool) batches.reverse();
    const embedded = await runBatches(
      batches.map((batch) => batch.map((i) => rows[i] as PieceIds)),
      {
        here: (batch) => this.embedHere(batch),
        workers: pool,
        onWorkersFailed: (error) => this.workersFailed(error),
        onProgress,
      },
    );
    const results = new Array<PieceEmbedding>(inputs.length);
    batches.forEach((batch, b) => {
      batch.forEach((inputIndex, k) => {
        results[inputIndex] = embedded[b]?.[k] as PieceEmbedding;
      });
    });
    return results;
  }

  /**
   * Starts the worker threads now rather than at the first large job, and resolves once they have loaded
   * the model (a second or more each). An ingest can call it before reading the corpus so that loading
   * overlaps the reading and splitting. Does nothing when the embedder has no workers.
   */
  async startWorkers(): Promise<void> {
    await this.pool?.warm().catch((error: Error) => this.workersFailed(error));
  }

  /** Inputs embedded so far on this thread and on the worker threads (the latter until a failed start). */
  get inputsEmbedded(): { here: number; onWorkers: number } {
    return { here: this.embeddedHere, onWorkers: this.pool?.embedded ?? 0 };
  }

  private async embedHere(rows: PieceIds[]): Promise<PieceEmbedding[]> {
    const results = await this.queue.run(() => forwardBatch(this.model, this.specials, rows));
    this.embeddedHere += rows.length;
    return results;
  }

  /** Workers that cannot start are not tried again for every job: this embedder goes on without them. */
  private workersFailed(error: Error): void {
    this.pool = null;
    this.onNote?.(`${error.message}: embedding on the main thread instead`);
  }

  /** A question: its full vector (as passages are pooled) and its content-only vector (as sentences are). */
  async embedQuery(text: string): Promise<{ vector: Float32Array; content: Float32Array }> {
    const ids = this.tokenize(text).slice(0, this.info.maxTokens - this.specialTokenCount);
    const [result] = await this.embedHere([[ids]]);
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
    await this.pool?.dispose();
    await this.model.dispose();
  }
}
