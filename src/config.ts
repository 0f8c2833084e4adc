import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Configuration from environment variables. Pure: `loadConfig(env)` reads only what it is given, and
 * entry points pass `process.env` after `dotenv/config`. Every problem is reported at once, one line each.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const text = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : fallback));

const positiveNumber = (fallback: number, { max, integer = true }: { max: number; integer?: boolean }) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0 || n > max || (integer && !Number.isInteger(n))) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a positive ${integer ? 'whole ' : ''}number up to ${max} (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });

const coreSchema = z.object({
  CORPUS_DIR: text('corpus'),
  INDEX_DIR: text('.clipdesk/index'),
  EMBEDDING_MODEL: text('Xenova/all-MiniLM-L6-v2'),
  EMBEDDING_DTYPE: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.toLowerCase() : 'q8'))
    .pipe(z.enum(['q8', 'fp32'], { errorMap: () => ({ message: 'must be q8 or fp32' }) })),
  MODEL_CACHE_DIR: text('.clipdesk/models'),
  CORPUS_MAX_FILE_MB: positiveNumber(20, { max: 1024, integer: false }),
  LOG_LEVEL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.toLowerCase() : 'info'))
    .pipe(z.enum(LOG_LEVELS, { errorMap: () => ({ message: `must be one of ${LOG_LEVELS.join(', ')}` }) })),
  LOG_PRETTY: z
    .string()
    .trim()
    .optional()
    .transform((v) => v === '1' || v === 'true'),
});

export interface CoreConfig {
  corpusDir: string;
  indexDir: string;
  embeddingModel: string;
  embeddingDtype: 'q8' | 'fp32';
  modelCacheDir: string;
  maxFileBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  logPretty: boolean;
}

/** The settings of the corpus, index and search (for the CLI and the bot). */
export function loadCoreConfig(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Readonly<CoreConfig> {
  const parsed = coreSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problems(parsed.error));
  const c = parsed.data;
  return Object.freeze({
    corpusDir: path.resolve(cwd, c.CORPUS_DIR),
    indexDir: path.resolve(cwd, c.INDEX_DIR),
    embeddingModel: c.EMBEDDING_MODEL,
    embeddingDtype: c.EMBEDDING_DTYPE,
    modelCacheDir: path.resolve(cwd, c.MODEL_CACHE_DIR),
    maxFileBytes: Math.round(c.CORPUS_MAX_FILE_MB * 1024 * 1024),
    logLevel: c.LOG_LEVEL,
    logPretty: c.LOG_PRETTY,
  });
}

/** One readable line per variable at fault: `EMBEDDING_DTYPE: must be q8 or fp32`. */
export function problems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
}
