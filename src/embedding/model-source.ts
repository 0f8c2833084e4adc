import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserFacingError } from '../errors.js';

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
 * A Hugging Face Hub id as the Hub allows them: `name` or `owner/name`, letters, digits, `-`, `_` and `.`,
 * neither part starting with `.` or `-`. Anything else (a second `/`, a leading `/` or `.`, a `\`, a
 * trailing separator, `~`, spaces) can only be a path.
 */
const HUB_ID = /^[A-Za-z0-9_][\w.-]*(?:\/[A-Za-z0-9_][\w.-]*)?$/;

/** The model the CLI and the playground use offline when `EMBEDDING_MODEL` is unset (it ships in the repo). */
export const SHIPPED_OFFLINE_MODEL = 'test/models/use-static-128';

/** Folders that hold the shipped models (relative to the working directory), best first. */
const SHIPPED_MODEL_PARENTS = ['test/models', '../shared/models'];
/** Best first within a parent; the others follow by name. */
const PREFERRED = ['use-static-128'];

/**
 * Every shipped model folder present (a folder with a config.json under test/models or ../shared/models),
 * relative to `cwd`, use-static-128 first.
 */
export function shippedModelFolders(cwd = process.cwd()): string[] {
  const found: string[] = [];
  for (const parent of SHIPPED_MODEL_PARENTS) {
    let names: string[];
    try {
      names = readdirSync(path.resolve(cwd, parent));
    } catch {
      continue;
    }
    const rank = (name: string) => (PREFERRED.includes(name) ? PREFERRED.indexOf(name) : PREFERRED.length);
    names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    for (const name of names) {
      if (existsSync(path.resolve(cwd, parent, name, 'config.json'))) found.push(`${parent}/${name}`);
    }
  }
  return found;
}

/**
 * The index folder of the shipped offline model beside `indexDir` (`.clipdesk/index` ->
 * `.clipdesk/index-use-static-128`), so that the default model's index is never rebuilt for it.
 */
export function offlineIndexDir(indexDir: string, model = SHIPPED_OFFLINE_MODEL): string {
  return `${indexDir.replace(/[\\/]+$/, '')}-${path.basename(model)}`;
}

/**
 * Whether `EMBEDDING_MODEL` names a local folder rather than a Hub id: it exists as a folder, or it
 * cannot be a Hub id, or its first part (`models` in `models/my-model`) is a folder here.
 */
export function looksLikeFolderPath(model: string, cwd = process.cwd()): boolean {
  if (isDirectory(path.resolve(cwd, model))) return true;
  if (!HUB_ID.test(model) || model.endsWith('.')) return true;
  const [owner, name] = model.split('/');
  return name !== undefined && isDirectory(path.resolve(cwd, owner as string));
}

/** The problem with a path-like `EMBEDDING_MODEL` that is not a folder, or null when there is none. */
export function modelFolderProblem(model: string, cwd = process.cwd()): string | null {
  if (!looksLikeFolderPath(model, cwd)) return null;
  const folder = path.resolve(cwd, model);
  if (isDirectory(folder)) return null;
  const what = existsSync(folder) ? `not a folder: ${folder}` : `no such folder: ${folder}`;
  return `${what}${shippedHint(cwd, '; model folders here: ')}`;
}

/** The message for a Hub id that could not be loaded (offline, or a wrong id). */
export function hubModelFailure(model: string, reason: string, cwd = process.cwd()): string {
  return (
    `Could not load the embedding model "${model}" from the Hugging Face Hub (${reason}). ` +
    'Without internet access, set EMBEDDING_MODEL to a local model folder (transformers.js layout)' +
    `${shippedHint(cwd, ', for example ')}, or copy a MODEL_CACHE_DIR that already holds the model.`
  );
}

function shippedHint(cwd: string, lead: string): string {
  const present = shippedModelFolders(cwd);
  return present.length ? `${lead}${present.map((f) => `EMBEDDING_MODEL=${f}`).join(' or ')}` : '';
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `EMBEDDING_MODEL` is a local folder when it looks like a path (see `looksLikeFolderPath`), else a Hub id.
 * A path that is not a folder is refused by name rather than sent to the Hub. A local folder without
 * `onnx/model_quantized.onnx` falls back from q8 to fp32.
 */
export function resolveModelSource(model: string, dtype: EmbeddingDtype, cwd = process.cwd()): ModelSource {
  if (!looksLikeFolderPath(model, cwd)) return { modelId: model, localRoot: null, dtype, note: null };
  const problem = modelFolderProblem(model, cwd);
  if (problem) throw new UserFacingError(`EMBEDDING_MODEL: ${problem}`);
  const folder = path.resolve(cwd, model);
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
