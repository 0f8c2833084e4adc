import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** 1 = stdout (the bot), 2 = stderr (the CLIs, whose stdout carries results). */
  fd?: 1 | 2;
  /** Human-readable lines through pino-pretty (a development dependency). */
  pretty?: boolean;
}

/** The root logger. Modules take `log.child({ module })`; the token is redacted wherever it appears. */
export function createLogger({ level, fd = 1, pretty = false }: LoggerOptions): Logger {
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
