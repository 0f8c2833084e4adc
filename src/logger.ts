import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, pino } from 'pino';
import { ConfigError } from './errors.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** 1 = stdout (the bot), 2 = stderr (the CLIs, whose stdout carries results). */
  fd?: 1 | 2;
  /** Human-readable lines through pino-pretty (a development dependency). */
  pretty?: boolean;
  /** Where pino-pretty is looked for (tests); default this module's own node_modules. */
  resolveFrom?: string;
}

/** Whether pino-pretty can be loaded from `from` (a file URL or path). */
export function prettyAvailable(from: string = import.meta.url): boolean {
  try {
    createRequire(from).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** The root logger. Modules take `log.child({ module })`; the token is redacted wherever it appears. */
export function createLogger({ level, fd = 1, pretty = false, resolveFrom }: LoggerOptions): Logger {
  if (pretty && !prettyAvailable(resolveFrom)) {
    throw new ConfigError([
      'LOG_PRETTY: pino-pretty is not installed (a development dependency, left out by npm ci --omit=dev): set LOG_PRETTY=0, or install the development dependencies',
    ]);
  }
  const options = {
    level,
    redact: {
      paths: ['token', '*.token', 'config.discordToken', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination: fd, colorize: true } },
    });
  }
  const destination: DestinationStream = pino.destination({ fd, sync: fd === 2 });
  return pino(options, destination);
}

/** A logger that drops everything, for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
