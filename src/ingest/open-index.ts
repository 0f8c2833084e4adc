import type { CoreConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Embedder } from '../search/embedder.js';
import { readManifest } from '../search/index-store.js';
import { IndexModelMismatchError, NoIndexError, SearchService } from '../search/search-service.js';
import { type IngestProgress, ingest } from './ingest.js';

/**
 * Opens the index for searching, building it first when there is none yet or it was built with another
 * model (so a fresh checkout, or a changed EMBEDDING_MODEL, just works). `onBuild` is told why.
 */
export async function openOrBuildIndex(options: {
  config: Pick<CoreConfig, 'corpusDir' | 'indexDir' | 'maxFileBytes' | 'embeddingModel'>;
  embedder: Embedder;
  log: Logger;
  onBuild?: (reason: string) => void;
  onProgress?: (progress: IngestProgress) => void;
  now?: () => Date;
}): Promise<SearchService> {
  const { config, embedder, log } = options;
  try {
    return await SearchService.open({ indexDir: config.indexDir, embedder, log });
  } catch (error) {
    if (!(error instanceof NoIndexError || error instanceof IndexModelMismatchError)) throw error;
    const hadIndex = (await readManifest(config.indexDir)) !== null;
    const reason = hadIndex
      ? `The index was built with another model; rebuilding it with ${config.embeddingModel}.`
      : `No index yet in ${config.indexDir}: ingesting ${config.corpusDir} first.`;
    log.warn({ indexDir: config.indexDir }, reason);
    options.onBuild?.(reason);
    await ingest({
      corpusDir: config.corpusDir,
      indexDir: config.indexDir,
      maxFileBytes: config.maxFileBytes,
      embedder,
      log,
      onProgress: options.onProgress,
      now: options.now,
    });
    return SearchService.open({ indexDir: config.indexDir, embedder, log });
  }
}
