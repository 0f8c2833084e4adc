import { AutoModel, env, type PreTrainedModel } from '@huggingface/transformers';
import type { ModelSource } from './model-source.js';

/** onnxruntime session options as transformers.js passes them through (`session_options`). */
export type SessionOptions = NonNullable<Parameters<typeof AutoModel.from_pretrained>[1]>['session_options'];

/**
 * Points transformers.js at the model: a local folder is read with no network access, a Hub id is
 * downloaded once into `cacheDir`. The settings are per thread, so a worker calls this too.
 */
export function useModelSource(source: ModelSource, cacheDir: string, hubUrl: string | null = null): void {
  env.cacheDir = cacheDir;
  if (hubUrl) env.remoteHost = hubUrl.endsWith('/') ? hubUrl : `${hubUrl}/`;
  if (source.localRoot) {
    env.localModelPath = source.localRoot;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  } else {
    env.allowRemoteModels = true;
  }
}

/** The ONNX model of `source` (after `useModelSource`), with the given session options. */
export function openModel(
  source: ModelSource,
  sessionOptions: SessionOptions = {},
): Promise<PreTrainedModel> {
  return AutoModel.from_pretrained(source.modelId, {
    dtype: source.dtype,
    local_files_only: source.localRoot !== null,
    session_options: sessionOptions,
  });
}

/**
 * Options for a session that runs on `threads` threads of its own. One thread per session, with one
 * session per core, avoids the per-operator hand-offs of onnxruntime's thread pool, which cost most at
 * the small matrix sizes of one passage and stall whenever the machine is busy (see the README).
 */
export function threadedSession(threads: number): SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' };
}
