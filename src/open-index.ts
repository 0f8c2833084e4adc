import path from 'node:path';
import type { CoreConfig } from './config.js';
import type { Embedder } from './embedding/embedder.js';
import { type IngestProgress, ingest } from './ingest/ingest.js';
import type { Logger } from './logger.js';
import { IndexModelMismatchError, NoIndexError, SearchService } from './search/search-service.js';
import { IndexDamagedError } from './store/manifest.js';

/**
 * Opens the index for searching, building it first when there is none yet, it was built with another
 * model, or it is damaged (so a fresh checkout, a changed EMBEDDING_MODEL or a corrupted file just works,
 * and the bot still starts). `onBuild` is told why.
 */
export async function openOrBuildIndex(options: {
  config: Pick<
    CoreConfig,
    'corpusDir' | 'indexDir' | 'indexBackend' | 'maxFileBytes' | 'embeddingModel' | 'relevanceParams'
  >;
  embedder: Embedder;
  log: Logger;
  onBuild?: (reason: string) => void;
  onProgress?: (progress: IngestProgress) => void;
  now?: () => Date;
}): Promise<SearchService> {
  const { config, embedder, log } = options;
  try {
    const search = await SearchService.open({
      indexDir: config.indexDir,
      embedder,
      log,
      paramsFile: config.relevanceParams,
    });
    const built = search.manifest.corpusDir;
    if (!built || path.resolve(built) === path.resolve(config.corpusDir)) return search;
    // CORPUS_DIR now names another folder: answering from the old one's index would mislead.
    await search.close();
    const reason = `The index in ${config.indexDir} was built from ${built}; bringing it in line with ${config.corpusDir} first.`;
    log.warn({ indexDir: config.indexDir }, reason);
    options.onBuild?.(reason);
    await buildFrom(options);
    return SearchService.open({
      indexDir: config.indexDir,
      embedder,
      log,
      paramsFile: config.relevanceParams,
    });
  } catch (error) {
    const reason =
      error instanceof IndexModelMismatchError
        ? `The index was built with another model; rebuilding it with ${config.embeddingModel}.`
        : error instanceof IndexDamagedError
          ? `${error.message.split('. Run')[0]}; rebuilding it from ${config.corpusDir}.`
          : error instanceof NoIndexError
            ? `No index yet in ${config.indexDir}: ingesting ${config.corpusDir} first.`
            : null;
    if (!reason) throw error;
    log.warn({ indexDir: config.indexDir }, reason);
    options.onBuild?.(reason);
    // Damage the sizes do not show (a changed byte) is found by reading every byte.
    await buildFrom(options, error instanceof IndexDamagedError);
    return SearchService.open({
      indexDir: config.indexDir,
      embedder,
      log,
      paramsFile: config.relevanceParams,
    });
  }
}

async function buildFrom(
  options: Parameters<typeof openOrBuildIndex>[0],
  verifyIndex = false,
): Promise<void> {
  const { config } = options;
  await ingest({
    verifyIndex,
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    maxFileBytes: config.maxFileBytes,
    backend: config.indexBackend,
    embedder: options.embedder,
    log: options.log,
    onProgress: options.onProgress,
    now: options.now,
  });
}
