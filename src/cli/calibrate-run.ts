/**
 * What `npm run calibrate` and `npm run bench:relevance` share: a bank's archives indexed with a model
 * (kept in .clipdesk/calibrate and brought up to date by an incremental ingest, so only the first run
 * embeds), and each question asked through the answer pipeline.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../embedding/embedder.js';
import { ingest } from '../ingest/ingest.js';
import type { Logger } from '../logger.js';
import type { BackendName } from '../store/manifest.js';

/** The kept index of one archive for one model; its folder. */
export async function keptIndex(options: {
  archive: string;
  corpusDir: string;
  model: string;
  embedder: Embedder;
  backend: BackendName;
  log: Logger;
}): Promise<string> {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const indexDir = path.resolve(
    '.clipdesk/calibrate',
    `${slug(options.archive)}-${slug(path.basename(options.model))}-${options.backend}`,
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

/** Every text file of a folder (corpus-relative path → text), to find which articles hold an answer. */
export async function articleTexts(corpusDir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const entry of await readdir(corpusDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(txt|md)$/i.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    texts.set(path.relative(corpusDir, full).split(path.sep).join('/'), await readFile(full, 'utf8'));
  }
  return texts;
}
