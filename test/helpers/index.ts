import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type IngestOptions, type IngestResult, ingest } from '../../src/ingest/ingest.js';
import { silentLogger } from '../../src/logger.js';
import { loadRelevanceParams } from '../../src/search/params-store.js';
import type { RelevanceParams } from '../../src/search/pipeline/params.js';
import { SearchService } from '../../src/search/search-service.js';
import { ArchiveReader } from '../../src/store/archive.js';
import type { ArticleMeta } from '../../src/store/article-view.js';
import type { BackendName } from '../../src/store/manifest.js';
import { type TestModel, testEmbedder } from './models.js';

export const BACKENDS: BackendName[] = ['vectra', 'lancedb'];

export async function runIngest(
  corpusDir: string,
  indexDir: string,
  model: TestModel = 'tiny-random-bert',
  extra: Partial<IngestOptions> = {},
): Promise<IngestResult> {
  return ingest({
    corpusDir,
    indexDir,
    maxFileBytes: 1024 * 1024,
    embedder: await testEmbedder(model),
    log: silentLogger(),
    maintenance: 'await',
    ...extra,
  });
}

export async function openSearch(
  indexDir: string,
  model: TestModel = 'use-static-128',
  params?: RelevanceParams,
): Promise<SearchService> {
  return SearchService.open({ indexDir, embedder: await testEmbedder(model), log: silentLogger(), params });
}

/**
 * Parameters that show every candidate (no decline, no usefulness floor): for tests of what does not
 * depend on fitted numbers (filters, paging, folding, offsets).
 */
export function everyResult(params: RelevanceParams): RelevanceParams {
  return { ...params, decide: { ...params.decide, threshold: 0, usefulnessFloor: 0 } };
}

/** The committed index, opened for reading (fails the test when there is none). */
export async function openArchive(indexDir: string): Promise<ArchiveReader> {
  const archive = await ArchiveReader.open(indexDir);
  assert.ok(archive, `an index in ${indexDir}`);
  return archive;
}

/**
 * What an index holds, checked for consistency on the way: the manifest's counts match the live articles,
 * every article's text, sentence vectors and passage vectors read back, and the article hashes (sorted).
 */
export async function indexedHashes(indexDir: string): Promise<string[]> {
  const archive = await openArchive(indexDir);
  try {
    const { counts } = archive.manifest;
    assert.equal(archive.articles.length, counts.articles, 'manifest article count');
    assert.equal(
      archive.articles.reduce((n, a) => n + a.passageCount, 0),
      counts.passages,
      'manifest passage count',
    );
    const views = await archive.views(archive.articles.map((a) => a.id));
    assert.equal(views.length, archive.articles.length, 'every article reads back');
    for (const view of views) {
      assert.ok(
        view.passageCount === view.meta.passageCount && view.sentenceCount === view.meta.sentenceCount,
      );
      const vectors = await archive.passageVectors(
        Array.from({ length: view.passageCount }, (_, passage) => ({ articleId: view.id, passage })),
      );
      assert.ok(vectors.every((v) => v !== null && v.length === archive.manifest.model.dimension));
    }
    return archive.articles.map((a) => a.hash).sort();
  } finally {
    await archive.close();
  }
}

/** The committed index's articles (metadata), or [] when there is no index. */
export async function indexedArticles(indexDir: string): Promise<ArticleMeta[]> {
  const archive = await ArchiveReader.open(indexDir);
  if (!archive) return [];
  const articles = [...archive.articles];
  await archive.close();
  return articles;
}

/** The text of an indexed article, found by title (null when absent). */
export async function indexedBody(indexDir: string, title: string): Promise<string | null> {
  const archive = await ArchiveReader.open(indexDir);
  if (!archive) return null;
  try {
    const meta = archive.articles.find((a) => a.title === title);
    const [view] = await archive.views(meta ? [meta.id] : []);
    return view?.body ?? null;
  } finally {
    await archive.close();
  }
}

/**
 * A parameters file (RELEVANCE_PARAMS) showing every candidate, for a bot test of what does not depend on
 * fitted numbers (paging, formatting) rather than on how many articles clear the usefulness floor.
 */
export async function everyResultParamsFile(dir: string): Promise<string> {
  const params = await loadRelevanceParams({ modelName: 'use-static-128' });
  const file = path.join(dir, 'every-result.json');
  await writeFile(file, JSON.stringify(everyResult(params)));
  return file;
}
