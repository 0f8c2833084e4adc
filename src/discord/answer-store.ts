import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { describeError, errorCode, UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { archiveScopeSchema } from '../search/scope.js';
import { appendJsonLine, readValidJsonLines } from '../util/jsonl.js';
import { writeStateFile } from '../util/state-file.js';

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date and time');

const answerRecordSchema = z.object({
  id: z.string().regex(/^[\w-]{1,40}$/),
  question: z.string().min(1),
  filters: z.object({
    outlet: z.string().nullable().optional(),
    since: z.string().nullable().optional(),
    until: z.string().nullable().optional(),
  }),
  perPage: z.number().int().min(1).max(50),
  /** Set for a quotations answer (/quotes, "what did X say"): whose, and about what. */
  speaker: z.string().min(1).optional(),
  about: z.string().nullable().optional(),
  userId: z.string().min(1),
  createdAt: isoTime,
  /** The channel's scope when it was asked (absent: the whole archive). */
  scope: archiveScopeSchema.nullable().optional(),
  /** The server and channel it was asked in (absent in a DM and in records from before). */
  guildId: z.string().nullable().optional(),
  channelId: z.string().nullable().optional(),
});

/** A question as asked, kept so that its buttons work later, also after a restart. */
export type AnswerRecord = z.infer<typeof answerRecordSchema>;

/** Answers older than this lose their buttons (Discord's own interaction tokens last 15 minutes). */
const KEEP_DAYS = 30;

/** Answers by id, in memory and appended to `answers.jsonl` in DATA_DIR. */
export class AnswerStore {
  private constructor(
    private readonly file: string,
    private readonly records: Map<string, AnswerRecord>,
  ) {}

  /**
   * Loads the answers of the last 30 days. A line that is not a valid answer (a torn last line after a
   * crash, a hand edit) is skipped and logged: only that answer's buttons stop working. A file the bot
   * cannot read stops it with a message naming the file.
   */
  static async open(dataDir: string, now: Date, log: Logger = silentLogger()): Promise<AnswerStore> {
    const file = path.join(dataDir, 'answers.jsonl');
    let loaded: Awaited<ReturnType<typeof readValidJsonLines<AnswerRecord>>>;
    try {
      loaded = await readValidJsonLines(file, answerRecordSchema);
    } catch (error) {
      throw new UserFacingError(
        `${file} cannot be read (${errorCode(error) ?? describeError(error)}): give the bot's user read and write access to it, or delete it (only the buttons of earlier answers stop working).`,
      );
    }
    const { values: all, rejected } = loaded;
    if (rejected.length > 0) {
      log.warn(
        { file, skipped: rejected.slice(0, 10), count: rejected.length },
        'answers.jsonl has lines that are not valid answers: skipped them (the buttons of those answers say they expired)',
      );
    }
    const cutoff = now.getTime() - KEEP_DAYS * 24 * 3600 * 1000;
    const kept = all.filter((r) => Date.parse(r.createdAt) >= cutoff);
    if (kept.length < all.length) {
      // Drop expired answers so the file does not grow without end.
      await writeStateFile(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    }
    return new AnswerStore(file, new Map(kept.map((r) => [r.id, r])));
  }

  async create(fields: Omit<AnswerRecord, 'id'>): Promise<AnswerRecord> {
    const record = { id: randomBytes(6).toString('base64url'), ...fields };
    this.records.set(record.id, record);
    await appendJsonLine(this.file, record);
    return record;
  }

  get(id: string): AnswerRecord | undefined {
    return this.records.get(id);
  }
}
