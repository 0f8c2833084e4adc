import { checkFolders } from '../check-folders.js';
import { type CoreConfig, loadCoreConfig } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { ConfigError, UserFacingError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';

/** What every CLI command needs: config, a logger on stderr (stdout carries results), the embedder. */
export interface CliContext {
  config: Readonly<CoreConfig>;
  log: Logger;
  embedder: Embedder;
}

/** Config (with its folders checked) and the logger, for commands that may not need the model. */
export async function loadCliSettings(
  env: Record<string, string | undefined>,
): Promise<Omit<CliContext, 'embedder'>> {
  const config = loadCoreConfig(env);
  await checkFolders(config);
  // The commands print their own progress and summaries; log lines only add noise unless asked for.
  const level = env.LOG_LEVEL ? config.logLevel : 'error';
  const log = createLogger({ level, fd: 2, pretty: config.logPretty });
  return { config, log };
}

export async function createCliContext(env: Record<string, string | undefined>): Promise<CliContext> {
  const { config, log } = await loadCliSettings(env);
  // Imported here, not at the top: transformers.js and onnxruntime take seconds to load, and a usage
  // mistake or `npm run sources` over an existing index should not wait for them.
  const { Embedder } = await import('../embedding/embedder.js');
  const embedder = await Embedder.load({
    model: config.embeddingModel,
    dtype: config.embeddingDtype,
    cacheDir: config.modelCacheDir,
    onNote: (note) => log.info({ model: config.embeddingModel }, note),
  });
  return { config, log, embedder };
}

/**
 * Runs a CLI main function: a person's mistake (bad config, bad arguments, no index) prints one clear
 * message and exits 1; anything else prints the error and exits 2.
 */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration problem:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    } else if (error instanceof UserFacingError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 2;
    }
  });
}
