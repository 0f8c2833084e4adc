import { type IngestResult, ingest } from '../../src/ingest/ingest.js';
import { silentLogger } from '../../src/logger.js';
import { SearchService } from '../../src/search/search-service.js';
import { type TestModel, testEmbedder } from './models.js';

export async function runIngest(
  corpusDir: string,
  indexDir: string,
  model: TestModel = 'tiny-random-bert',
): Promise<IngestResult> {
  return ingest({
    corpusDir,
    indexDir,
    maxFileBytes: 1024 * 1024,
    embedder: await testEmbedder(model),
    log: silentLogger(),
  });
}

export async function openSearch(
  indexDir: string,
  model: TestModel = 'use-static-128',
): Promise<SearchService> {
  return SearchService.open({ indexDir, embedder: await testEmbedder(model), log: silentLogger() });
}
