import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { LocalIndex } from 'vectra';
import type { Article } from '../corpus/article.js';
import { syncDirectory, syncFile, writeFileAtomic } from '../util/atomic-write.js';
import type { ModelInfo } from './embedder.js';
import { type QuantizedMatrix, readMatrix, serializeMatrix } from './sentence-vectors.js';

/**
 * The index on disk:
 *
 *   INDEX_DIR/manifest.json     which generation is current, the model that built it, the last ingest
 *   INDEX_DIR/gen-<id>/         one complete index: vectra's index.json (passage vectors),
 *                               articles.json (text, sentences, passages), sentences.bin (sentence vectors)
 *
 * An ingest writes a whole new generation, syncs it, then swaps manifest.json atomically. A crash at any
 * moment leaves the manifest pointing at a complete generation: the old one or the new one.
 */

export const INDEX_FORMAT = 1;

/** An article as stored: its text plus where its sentences and passages lie. */
export interface StoredArticle extends Article {
  /** Flat [start0, end0, start1, end1, ...] character offsets of its sentences in `body`. */
  sentences: number[];
  /** Flat [first0, last0, ...] inclusive sentence ranges of its passages. */
  passages: number[];
  /** Row of its first sentence in the sentence-vector matrix. */
  sentenceRow: number;
  /** When the article first entered the archive (ISO); an update keeps it. Digests select on it. */
  addedAt: string;
}

/** Metadata vectra keeps beside each passage vector (ids are `<articleId>:<passage>`). */
export interface PassageMetadata {
  article: string;
  passage: number;
  outlet: string;
  /** The article's date as a number (20240828), 0 when undated: vectra's $gte/$lte compare numbers only. */
  day: number;
  [key: string]: string | number;
}

export interface IngestSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: Array<{ source: string; reason: string }>;
  /** Files read with a remark (e.g. `decoded as windows-1252`); absent in indexes built before notes. */
  notes?: Array<{ source: string; note: string }>;
  articles: number;
  passages: number;
  embeddedPassages: number;
  embeddedTokens: number;
  seconds: number;
  finishedAt: string;
}

export interface Manifest {
  format: number;
  generation: string;
  model: Pick<ModelInfo, 'name' | 'dtype' | 'dimension' | 'key'>;
  /** Version and limits of the splitter: a change re-embeds everything. */
  passages: { version: number; targetTokens: number; maxTokens: number };
  counts: { articles: number; passages: number; sentences: number };
  lastIngest: IngestSummary;
}

/** A loaded generation, ready for searching. */
export interface IndexSnapshot {
  manifest: Manifest;
  articles: StoredArticle[];
  vectra: LocalIndex<PassageMetadata>;
  sentenceVectors: QuantizedMatrix;
}

export interface NewGeneration {
  manifest: Omit<Manifest, 'format' | 'generation'>;
  articles: StoredArticle[];
  passages: Array<{ id: string; vector: number[]; metadata: PassageMetadata }>;
  sentenceVectors: QuantizedMatrix;
}

const MANIFEST = 'manifest.json';

export async function readManifest(indexDir: string): Promise<Manifest | null> {
  let text: string;
  try {
    text = await readFile(path.join(indexDir, MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const manifest = JSON.parse(text) as Manifest;
  if (manifest.format !== INDEX_FORMAT) return null;
  return manifest;
}

/** Loads the current generation, or null when there is no index yet. */
export async function loadSnapshot(indexDir: string): Promise<IndexSnapshot | null> {
  const manifest = await readManifest(indexDir);
  if (!manifest) return null;
  const dir = path.join(indexDir, manifest.generation);
  const articles = JSON.parse(await readFile(path.join(dir, 'articles.json'), 'utf8')) as StoredArticle[];
  const vectra = new LocalIndex<PassageMetadata>(dir);
  await vectra.getIndexStats(); // loads index.json into memory once
  const sentenceVectors = await readMatrix(path.join(dir, 'sentences.bin'));
  return { manifest, articles, vectra, sentenceVectors };
}

/** Writes a complete generation beside the current one, synced to disk. It is not current until committed. */
export async function writeGeneration(indexDir: string, next: NewGeneration): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const generation = `gen-${Date.now().toString(36)}-${process.pid.toString(36)}`;
  const dir = path.join(indexDir, generation);
  const vectra = new LocalIndex<PassageMetadata>(dir);
  await vectra.createIndex({ version: 1, deleteIfExists: true });
  await vectra.beginUpdate();
  for (const item of next.passages) await vectra.insertItem(item);
  await vectra.endUpdate();
  await syncFile(path.join(dir, 'index.json'));
  await writeFileAtomic(path.join(dir, 'articles.json'), JSON.stringify(next.articles));
  await writeFileAtomic(path.join(dir, 'sentences.bin'), serializeMatrix(next.sentenceVectors));
  await syncDirectory(dir);
  return { format: INDEX_FORMAT, generation, ...next.manifest };
}

/** Makes a written generation current: one atomic rename of the manifest. */
export async function commitGeneration(indexDir: string, manifest: Manifest): Promise<Manifest> {
  await writeFileAtomic(path.join(indexDir, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Records a new last-ingest summary on the current generation (nothing else changed). */
export async function touchManifest(
  indexDir: string,
  manifest: Manifest,
  lastIngest: IngestSummary,
): Promise<Manifest> {
  const next = { ...manifest, lastIngest };
  await writeFileAtomic(path.join(indexDir, MANIFEST), JSON.stringify(next, null, 2));
  return next;
}

/**
 * Removes every generation but those in `keep` (the new current one and the one before it, which a
 * process that loaded it a moment ago may still be reading), including leftovers of interrupted ingests.
 * Only the ingest that holds the lock calls this.
 */
export async function pruneGenerations(indexDir: string, keep: string[]): Promise<void> {
  const entries = await readdir(indexDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith('gen-') || keep.includes(entry.name)) continue;
    await rm(path.join(indexDir, entry.name), { recursive: true, force: true });
  }
}
