/**
 * What bench:relevance, relevance-misses and ask-check share: the question files, the kept indexes in
 * .clipdesk/bench-relevance (brought up to date by an incremental ingest), and what counts as the right article.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ingest } from '../src/ingest/ingest.js';
import type { Logger } from '../src/logger.js';
import type { Embedder } from '../src/embedding/embedder.js';
import type { Excerpt } from '../src/search/excerpt.js';
import type { BackendName } from '../src/store/manifest.js';

export interface Questions {
  onTopic: Array<{ q: string; answer: string[]; file?: string; set: 'dev' | 'held-out' }>;
  offTopic: string[];
  offTopicHeldOut: string[];
}

/** A question file of test/fixtures. */
export async function readQuestions(file: string): Promise<Questions> {
  return JSON.parse(await readFile(path.join('test', 'fixtures', file), 'utf8')) as Questions;
}

/** The backend INDEX_BACKEND names (vectra unless lancedb). */
export function benchBackend(): BackendName {
  return process.env.INDEX_BACKEND === 'lancedb' ? 'lancedb' : 'vectra';
}

/** The kept index of one corpus, model and backend, brought up to date with the corpus; its folder. */
export async function relevanceIndex(options: {
  corpusName: string;
  corpusDir: string;
  model: string;
  embedder: Embedder;
  backend: BackendName;
  log: Logger;
}): Promise<string> {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const indexDir = path.resolve(
    '.clipdesk/bench-relevance',
    `${slug(options.corpusName)}-${slug(path.basename(options.model))}-${options.backend}`,
  );
  await ingest({
    corpusDir: options.corpusDir,
    indexDir,
    maxFileBytes: 20 * 1024 * 1024,
    embedder: options.embedder,
    log: options.log,
    backend: options.backend,
    maintenance: 'await',
  });
  return indexDir;
}

/**
 * The question's article (or one of its near-identical copies folded into the result); for questions
 * written without a file, an article holding the answer.
 */
export function rightArticle(
  result: Pick<Excerpt, 'source' | 'alsoIn'>,
  file: string | undefined,
  answer: string[],
  bodies: ReadonlyMap<string, string>,
): boolean {
  if (!file) return answer.some((a) => (bodies.get(result.source) ?? '').includes(a));
  return result.source === file || result.alsoIn.some((other) => other.source === file);
}
