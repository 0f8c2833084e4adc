import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** The model `npm run bench` times, and a note when it is not the one asked for. */
export interface BenchModel {
  model: string;
  note: string | null;
}

const DEFAULT_MODEL = '../shared/models/minilm-l6-random';
/** Under test/models, the one with the shape of a real encoder (layers, attention), so the code path is real. */
const FALLBACK_MODEL = 'test/models/tiny-random-bert';

/**
 * BENCH_MODEL (a model folder or a Hub id) when set; else `../shared/models/minilm-l6-random`, which costs what
 * all-MiniLM-L6-v2 costs; else, outside that folder layout, the small test model, with a note saying so.
 */
export function chooseBenchModel(env: NodeJS.ProcessEnv, projectRoot: string): BenchModel {
  const given = env.BENCH_MODEL?.trim();
  if (given) {
    const folder = path.resolve(projectRoot, given);
    const isFolder = existsSync(folder) && statSync(folder).isDirectory();
    if (!isFolder && (given.startsWith('.') || path.isAbsolute(given))) {
      throw new Error(
        `BENCH_MODEL points to ${folder}, which is not a folder: set it to a model folder or a Hub id`,
      );
    }
    return { model: isFolder ? folder : given, note: null };
  }
  const preferred = path.resolve(projectRoot, DEFAULT_MODEL);
  if (existsSync(preferred)) return { model: preferred, note: null };
  const fallback = path.resolve(projectRoot, FALLBACK_MODEL);
  if (!existsSync(fallback)) {
    throw new Error(
      `neither ${preferred} nor ${fallback} exists: set BENCH_MODEL to a model folder or a Hub id`,
    );
  }
  return {
    model: fallback,
    note:
      `${DEFAULT_MODEL} not found: timing ${FALLBACK_MODEL}, whose figures say little about a real model. ` +
      'Set BENCH_MODEL to a model folder or a Hub id to time another.',
  };
}

/** Load errors name the variable the bench reads, not the one the app reads. */
export function inBenchTerms(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(
    message
      .replaceAll('EMBEDDING_MODEL', 'BENCH_MODEL')
      .replaceAll('a MODEL_CACHE_DIR', 'a .clipdesk/models folder'),
  );
}
