import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import { DEFAULT_PARAMS, type RelevanceParams, readParamsFile } from './pipeline/params.js';

/**
 * The committed parameters of the shipped models live in src/search/params/<model folder name>.json
 * (written by `npm run calibrate`); `lexical.json` serves the lexical-only measurement and any model
 * nobody has calibrated yet (its decision leans on words, whose scale does not depend on the model).
 */
export function shippedParamsDir(): string {
  const here = fileURLToPath(import.meta.url);
  // From the sources (tsx) the folder is beside this file; from dist/ it is back in the sources.
  return here.endsWith('.ts')
    ? path.join(path.dirname(here), 'params')
    : path.resolve(path.dirname(here), '../../../src/search/params');
}

/** The file name of a model's parameters: its folder or Hub name's last part. */
export function paramsFileName(modelName: string): string {
  return `${path.basename(modelName.replace(/[\\/]+$/, '')).toLowerCase()}.json`;
}

/**
 * The parameters to answer with: `file` when configured (RELEVANCE_PARAMS), else the model's committed
 * ones, else the lexical ones (said once in the log: calibrating for the model does better).
 */
export async function loadRelevanceParams(options: {
  modelName: string;
  lexicalOnly?: boolean;
  file?: string | null;
  log?: Logger;
}): Promise<RelevanceParams> {
  if (options.file) return readParamsFile(options.file);
  const dir = shippedParamsDir();
  const own = path.join(dir, options.lexicalOnly ? 'lexical.json' : paramsFileName(options.modelName));
  if (existsSync(own)) return readParamsFile(own);
  const lexical = path.join(dir, 'lexical.json');
  options.log?.info(
    { model: options.modelName },
    'no relevance parameters fitted for this model: using the lexical ones (run `npm run calibrate` to fit them, see docs/relevance.md)',
  );
  return existsSync(lexical) ? readParamsFile(lexical) : DEFAULT_PARAMS;
}
