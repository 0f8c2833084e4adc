import { progressPrinter } from '../ingest/progress.js';
import { openOrBuildIndex } from '../open-index.js';
import type { SearchService } from '../search/search-service.js';
import type { CliContext } from './context.js';

/** Opens the index, building it first on a fresh checkout (or for a new model), with progress on stderr. */
export function openSearch({ config, log, embedder }: CliContext): Promise<SearchService> {
  return openOrBuildIndex({
    config,
    embedder,
    log,
    onBuild: (reason) => process.stderr.write(`${reason}\n`),
    onProgress: progressPrinter(process.stderr),
  });
}
