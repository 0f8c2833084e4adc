import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Configuration from environment variables. Pure: `loadConfig(env)` reads only what it is given, and
 * entry points pass `process.env` after loading .env (src/load-env.ts). Every problem is reported at once, one line each.
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

const snowflake = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d{17,20}$/.test(v)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a Discord id (17 to 20 digits); got "${v}"`,
        });
        return z.NEVER;
      }
      return v;
    });

const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return fallback;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be true or false (got "${v}")` });
      return z.NEVER;
    });

/** DISCORD_ALLOWED_GUILDS: comma-separated server ids; unset = every server the bot is in. */
const snowflakeList = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const ids = v.split(',').map((id) => id.trim());
      const bad = ids.filter((id) => !/^\d{17,20}$/.test(id));
      if (bad.length > 0) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be Discord server ids (17 to 20 digits) separated by commas; not ids: ${bad.map((id) => `"${id}"`).join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(ids)];
    });

const botSchema = z.object({
  DISCORD_TOKEN: z
    .string({ required_error: 'is required: the bot token from the Discord developer portal (Bot > Token)' })
    .trim()
    .min(1, 'is required: the bot token from the Discord developer portal (Bot > Token)'),
  DISCORD_CLIENT_ID: snowflake(),
  DISCORD_GUILD_ID: snowflake(),
  DISCORD_ALLOWED_GUILDS: snowflakeList(),
  DISCORD_API_URL: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const value = v ? v.replace(/\/+$/, '') : 'https://discord.com/api';
      try {
        const url = new URL(value);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be an http(s) URL (got "${v}")` });
        return z.NEVER;
      }
      return value;
    }),
  DATA_DIR: text('.clipdesk/data'),
  ASK_PRIVATE_DEFAULT: flag(false),
  DM_QUESTIONS_PER_MINUTE: positiveNumber(5, { max: 600 }),
  DIGEST_TIMEZONE: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const zone = v || 'UTC';
      if (!isTimeZone(zone)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be an IANA time zone such as Europe/Paris (got "${zone}")`,
        });
        return z.NEVER;
      }
      return zone;
    }),
  DIGEST_LOOKBACK_HOURS: positiveNumber(24, { max: 24 * 365 }),
  DIGEST_MAX_FAILURES: positiveNumber(3, { max: 100 }),
});

export interface BotConfig extends CoreConfig {
  discordToken: string;
  /** Needed to deploy commands; the running bot learns its id from Discord. */
  discordClientId: string | null;
  discordGuildId: string | null;
  /** The only servers whose members may use the bot (null: every server it is in, and anyone by DM). */
  discordAllowedGuilds: readonly string[] | null;
  /** REST base; discord.js appends /v10 and finds the gateway through GET /gateway/bot there. */
  discordApiUrl: string;
  dataDir: string;
  askPrivateDefault: boolean;
  dmQuestionsPerMinute: number;
  digestTimeZone: string;
  digestLookbackHours: number;
  digestMaxFailures: number;
}

/** Everything the bot needs: the core settings plus Discord's. Problems of both are reported together. */
export function loadBotConfig(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Readonly<BotConfig> {
  const core = coreSchema.safeParse(env);
  const bot = botSchema.safeParse(env);
  const all = [...(core.success ? [] : problems(core.error)), ...(bot.success ? [] : problems(bot.error))];
  if (!core.success || !bot.success) throw new ConfigError(all);
  const b = bot.data;
  return Object.freeze({
    ...loadCoreConfig(env, cwd),
    discordToken: b.DISCORD_TOKEN,
    discordClientId: b.DISCORD_CLIENT_ID,
    discordGuildId: b.DISCORD_GUILD_ID,
    discordAllowedGuilds: b.DISCORD_ALLOWED_GUILDS ? Object.freeze(b.DISCORD_ALLOWED_GUILDS) : null,
    discordApiUrl: b.DISCORD_API_URL,
    dataDir: path.resolve(cwd, b.DATA_DIR),
    askPrivateDefault: b.ASK_PRIVATE_DEFAULT,
    dmQuestionsPerMinute: b.DM_QUESTIONS_PER_MINUTE,
    digestTimeZone: b.DIGEST_TIMEZONE,
    digestLookbackHours: b.DIGEST_LOOKBACK_HOURS,
    digestMaxFailures: b.DIGEST_MAX_FAILURES,
  });
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
