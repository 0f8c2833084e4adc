import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export type EmbeddingDtype = 'q8' | 'fp32';

/** Where the embedding model comes from and which weights to load. */
export interface ModelSource {
  /** What transformers.js is asked for: a Hub id, or the folder's name under `localRoot`. */
  modelId: string;
  /** Parent folder of a local model (loaded with no network access), or null for a Hub id. */
  localRoot: string | null;
  dtype: EmbeddingDtype;
  /** Why the dtype differs from the one asked for, for the log. */
  note: string | null;
}

/**
 * `EMBEDDING_MODEL` is a local folder when such a folder exists (absolute, or relative to the working
 * directory), else a Hub id. A local folder without `onnx/model_quantized.onnx` falls back from q8 to fp32.
 */
export function resolveModelSource(model: string, dtype: EmbeddingDtype, cwd = process.cwd()): ModelSource {
  const folder = path.resolve(cwd, model);
  const isLocal = existsSync(folder) && statSync(folder).isDirectory();
  if (!isLocal) {
    if (model.startsWith('.') || path.isAbsolute(model)) {
      throw new Error(`EMBEDDING_MODEL points to ${folder}, which is not a folder`);
    }
    return { modelId: model, localRoot: null, dtype, note: null };
  }
  const source: ModelSource = {
    modelId: path.basename(folder),
    localRoot: path.dirname(folder),
    dtype,
    note: null,
  };
  if (dtype === 'q8' && !existsSync(path.join(folder, 'onnx', 'model_quantized.onnx'))) {
    source.dtype = 'fp32';
    source.note = 'no onnx/model_quantized.onnx in the model folder: using fp32 weights';
  }
  return source;
}
