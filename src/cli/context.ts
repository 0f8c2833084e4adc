import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkFolders } from '../check-folders.js';
import { type CoreConfig, loadCoreConfig } from '../config.js';
import type { Embedder } from '../embedding/embedder.js';
import { offlineIndexDir, SHIPPED_OFFLINE_MODEL } from '../embedding/model-source.js';
import { ConfigError, HubUnreachableError, UserFacingError } from '../errors.js';
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

/**
 * Config, logger and the loaded model. When `EMBEDDING_MODEL` is unset and the Hub cannot be reached, the
 * shipped offline model is used instead (one line on stderr says so), with its own index beside the default
 * one (`.clipdesk/index-use-static-128`), so that neither is rebuilt for the other when the Hub is back.
 * A model that was asked for by name never falls back. The bot never does (src/app.ts).
 */
export async function createCliContext(
  env: Record<string, string | undefined>,
  notice: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<CliContext> {
  const settings = await loadCliSettings(env);
  const { log } = settings;
  let config = settings.config;
  // Imported here, not at the top: transformers.js and onnxruntime take seconds to load, and a usage
  // mistake or `npm run sources` over an existing index should not wait for them.
  const { Embedder } = await import('../embedding/embedder.js');
  const load = (model: string) =>
    Embedder.load({
      model,
      dtype: config.embeddingDtype,
      cacheDir: config.modelCacheDir,
      hubUrl: config.hubUrl,
      onNote: (note) => log.info({ model }, note),
    });
  try {
    return { config, log, embedder: await load(config.embeddingModel) };
  } catch (error) {
    const offline = modelChosen(env) ? null : offlineFallback(config);
    if (!(error instanceof HubUnreachableError) || !offline) throw error;
    config = Object.freeze({ ...config, ...offline });
    const shown = path.relative(process.cwd(), config.indexDir) || '.';
    notice(
      `The Hugging Face Hub cannot be reached: answering with the shipped offline model ${offline.embeddingModel} (index ${shown}); set EMBEDDING_MODEL to choose a model.`,
    );
    return { config, log, embedder: await load(offline.embeddingModel) };
  }
}

/** Whether EMBEDDING_MODEL was set: a model asked for by name never falls back. */
export function modelChosen(env: Record<string, string | undefined>): boolean {
  return Boolean(env.EMBEDDING_MODEL?.trim());
}

/** The shipped offline model and its own index folder, or null when this checkout has no shipped model. */
export function offlineFallback(
  config: Readonly<CoreConfig>,
  cwd = process.cwd(),
): { embeddingModel: string; indexDir: string } | null {
  if (!existsSync(path.resolve(cwd, SHIPPED_OFFLINE_MODEL, 'config.json'))) return null;
  return { embeddingModel: SHIPPED_OFFLINE_MODEL, indexDir: offlineIndexDir(config.indexDir) };
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
