import './load-env.js';
import { startBot } from './app.js';
import { checkFolders } from './check-folders.js';
import { loadBotConfig } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { startupMessage } from './startup-message.js';

/** `npm start` / `npm run dev`: config -> logger -> services -> Discord client -> login. */
let config: ReturnType<typeof loadBotConfig>;
let log: Logger;
try {
  config = loadBotConfig(process.env);
  await checkFolders(config);
  // LOG_PRETTY=1 needs pino-pretty, a development dependency: without it, a config error like the others.
  log = createLogger({ level: config.logLevel, pretty: config.logPretty });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(
    `Clipdesk cannot start. Fix these settings (see .env.example):\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}

// A failed promise somewhere must not take the bot down for everyone; it is logged with its stack.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));

try {
  const bot = await startBot({ config, log });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    bot.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  log.fatal({ err: error }, 'start-up failed');
  const sentence = startupMessage(error, config.discordApiUrl);
  if (sentence) process.stderr.write(`Clipdesk cannot start: ${sentence}\n`);
  process.exit(1);
}
