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

/** A plain decimal as people write it: `20`, `0.5`. Not `1e3`, `0x10`, `+5`, `5.` or `Infinity`. */
const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;
const PLAIN_WHOLE = /^\d+$/;

/**
 * A number within [min, max]. Only plain decimal notation is accepted, so that `0x10` is not read as 16
 * and `1e-9` is not read as a real setting; the message gives the range.
 */
const numberInRange = (
  fallback: number,
  { min, max, integer = true }: { min: number; max: number; integer?: boolean },
) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return fallback;
      const n = Number(v);
      if (!(integer ? PLAIN_WHOLE : PLAIN_DECIMAL).test(v) || n < min || n > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a ${integer ? 'whole number' : 'number'} from ${min} to ${max}, written in plain digits (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });

const coreSchema = z.object({
  CORPUS_DIR: text('corpus'),
  INDEX_DIR: text('.clipdesk/index'),
  DATA_DIR: text('.clipdesk/data'),
  INDEX_BACKEND: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.toLowerCase() : 'vectra'))
    .pipe(z.enum(['vectra', 'lancedb'], { errorMap: () => ({ message: 'must be vectra or lancedb' }) })),
  EMBEDDING_MODEL: text('Xenova/all-MiniLM-L6-v2'),
  EMBEDDING_DTYPE: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.toLowerCase() : 'q8'))
    .pipe(z.enum(['q8', 'fp32'], { errorMap: () => ({ message: 'must be q8 or fp32' }) })),
  MODEL_CACHE_DIR: text('.clipdesk/models'),
  HF_ENDPOINT: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)
    .pipe(
      z
        .string()
        .regex(/^https?:\/\/\S+$/, 'must be an http(s) address, e.g. https://huggingface.co')
        .nullable(),
    ),
  // Below 0.1 MB (100 KB) ordinary articles would be refused as too large.
  CORPUS_MAX_FILE_MB: numberInRange(20, { min: 0.1, max: 1024, integer: false }),
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
  // A JSON file of answer-pipeline parameters written by `npm run calibrate` (default: those committed for the model).
  RELEVANCE_PARAMS: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null),
});

export interface CoreConfig {
  corpusDir: string;
  indexDir: string;
  /** The bot's and the feeds' state files (subscriptions, answers, feed state, instant alerts). */
  dataDir: string;
  /** Where passage vectors live: vectra (small archives, no set-up) or lancedb (large archives). */
  indexBackend: 'vectra' | 'lancedb';
  embeddingModel: string;
  embeddingDtype: 'q8' | 'fp32';
  modelCacheDir: string;
  /** The Hugging Face Hub's address (`HF_ENDPOINT`: a mirror), null for huggingface.co. */
  hubUrl: string | null;
  maxFileBytes: number;
  logLevel: (typeof LOG_LEVELS)[number];
  logPretty: boolean;
  /** Answer-pipeline parameters to use instead of the model's committed ones (RELEVANCE_PARAMS), or null. */
  relevanceParams: string | null;
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
    dataDir: path.resolve(cwd, c.DATA_DIR),
    indexBackend: c.INDEX_BACKEND,
    embeddingModel: c.EMBEDDING_MODEL,
    embeddingDtype: c.EMBEDDING_DTYPE,
    modelCacheDir: path.resolve(cwd, c.MODEL_CACHE_DIR),
    hubUrl: c.HF_ENDPOINT,
    maxFileBytes: Math.round(c.CORPUS_MAX_FILE_MB * 1024 * 1024),
    logLevel: c.LOG_LEVEL,
    logPretty: c.LOG_PRETTY,
    relevanceParams: c.RELEVANCE_PARAMS ? path.resolve(cwd, c.RELEVANCE_PARAMS) : null,
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
  ASK_PRIVATE_DEFAULT: flag(false),
  DM_QUESTIONS_PER_MINUTE: numberInRange(5, { min: 1, max: 600 }),
  DISCORD_THREAD_FOLLOWUPS: flag(true),
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
  DIGEST_LOOKBACK_HOURS: numberInRange(24, { min: 1, max: 24 * 365 }),
  DIGEST_MAX_FAILURES: numberInRange(3, { min: 1, max: 100 }),
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
  askPrivateDefault: boolean;
  dmQuestionsPerMinute: number;
  /** Every message in a follow-up thread is a question (needs the Message Content intent); off: only mentions. */
  threadFollowups: boolean;
  digestTimeZone: string;
  digestLookbackHours: number;
  digestMaxFailures: number;
  /** Feeds, watched folder, uploads, instant alerts (issue 10). */
  feeds: Readonly<FeedsConfig>;
}

/** Everything the bot needs: the core settings plus Discord's. Problems of both are reported together. */
export function loadBotConfig(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Readonly<BotConfig> {
  const core = coreSchema.safeParse(env);
  const bot = botSchema.safeParse(env);
  const feeds = feedsSchema.safeParse(env);
  const all = [
    ...(core.success ? [] : problems(core.error)),
    ...(bot.success ? [] : problems(bot.error)),
    ...(feeds.success ? [] : problems(feeds.error)),
  ];
  if (!core.success || !bot.success || !feeds.success) throw new ConfigError(all);
  const b = bot.data;
  return Object.freeze({
    ...loadCoreConfig(env, cwd),
    discordToken: b.DISCORD_TOKEN,
    discordClientId: b.DISCORD_CLIENT_ID,
    discordGuildId: b.DISCORD_GUILD_ID,
    discordAllowedGuilds: b.DISCORD_ALLOWED_GUILDS ? Object.freeze(b.DISCORD_ALLOWED_GUILDS) : null,
    discordApiUrl: b.DISCORD_API_URL,
    askPrivateDefault: b.ASK_PRIVATE_DEFAULT,
    dmQuestionsPerMinute: b.DM_QUESTIONS_PER_MINUTE,
    threadFollowups: b.DISCORD_THREAD_FOLLOWUPS,
    digestTimeZone: b.DIGEST_TIMEZONE,
    digestLookbackHours: b.DIGEST_LOOKBACK_HOURS,
    digestMaxFailures: b.DIGEST_MAX_FAILURES,
    feeds: loadFeedsConfig(env, cwd),
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

// --- Living archive (issue 10): feeds, the watched corpus folder, /add, instant alerts ---

const feedsSchema = z.object({
  FEEDS_FILE: text('feeds.json'),
  FEEDS_ALLOW_PRIVATE: flag(false),
  FEEDS_POLL: flag(true),
  FEEDS_INTERVAL_MINUTES: numberInRange(15, { min: 1, max: 7 * 24 * 60 }),
  FEEDS_TIMEOUT_SECONDS: numberInRange(20, { min: 1, max: 300, integer: false }),
  FEEDS_MAX_RESPONSE_MB: numberInRange(10, { min: 0.1, max: 200, integer: false }),
  FEEDS_MAX_ITEMS_PER_POLL: numberInRange(20, { min: 1, max: 500 }),
  ADD_MAX_FILE_MB: numberInRange(5, { min: 0.01, max: 100, integer: false }),
  CORPUS_WATCH: flag(true),
  CORPUS_WATCH_DEBOUNCE_MS: numberInRange(1000, { min: 50, max: 60_000 }),
  INSTANT_MIN_SECONDS: numberInRange(60, { min: 1, max: 24 * 3600 }),
});

export interface FeedsConfig {
  feedsFile: string;
  /** Fetch from loopback and private addresses too (tests; a newsroom's intranet feeds). */
  feedsAllowPrivate: boolean;
  /** The bot polls feeds on its own. */
  feedsPoll: boolean;
  feedsIntervalMinutes: number;
  feedsTimeoutMs: number;
  feedsMaxResponseBytes: number;
  feedsMaxItemsPerPoll: number;
  addMaxFileBytes: number;
  corpusWatch: boolean;
  corpusWatchDebounceMs: number;
  instantMinIntervalMs: number;
}

/** Settings of feeds, the watched folder, uploads and instant alerts (bot and `npm run feeds`). */
export function loadFeedsConfig(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Readonly<FeedsConfig> {
  const parsed = feedsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(problems(parsed.error));
  const f = parsed.data;
  return Object.freeze({
    feedsFile: path.resolve(cwd, f.FEEDS_FILE),
    feedsAllowPrivate: f.FEEDS_ALLOW_PRIVATE,
    feedsPoll: f.FEEDS_POLL,
    feedsIntervalMinutes: f.FEEDS_INTERVAL_MINUTES,
    feedsTimeoutMs: Math.round(f.FEEDS_TIMEOUT_SECONDS * 1000),
    feedsMaxResponseBytes: Math.round(f.FEEDS_MAX_RESPONSE_MB * 1024 * 1024),
    feedsMaxItemsPerPoll: f.FEEDS_MAX_ITEMS_PER_POLL,
    addMaxFileBytes: Math.round(f.ADD_MAX_FILE_MB * 1024 * 1024),
    corpusWatch: f.CORPUS_WATCH,
    corpusWatchDebounceMs: f.CORPUS_WATCH_DEBOUNCE_MS,
    instantMinIntervalMs: f.INSTANT_MIN_SECONDS * 1000,
  });
}

/** Every environment variable the settings read (for the documentation checks). */
export function settingNames(): string[] {
  return [
    ...new Set([
      ...Object.keys(coreSchema.shape),
      ...Object.keys(botSchema.shape),
      ...Object.keys(feedsSchema.shape),
    ]),
  ];
}
