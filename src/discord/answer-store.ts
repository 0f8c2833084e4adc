import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { SearchFilters } from '../search/filters.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { appendJsonLine, readJsonLines } from '../util/jsonl.js';

/** A question as asked, kept so that its buttons work later, also after a restart. */
export interface AnswerRecord {
  id: string;
  question: string;
  filters: SearchFilters;
  perPage: number;
  userId: string;
  createdAt: string;
}

/** Answers older than this lose their buttons (Discord's own interaction tokens last 15 minutes). */
const KEEP_DAYS = 30;

/** Answers by id, in memory and appended to `answers.jsonl` in DATA_DIR. */
export class AnswerStore {
  private constructor(
    private readonly file: string,
    private readonly records: Map<string, AnswerRecord>,
  ) {}

  static async open(dataDir: string, now: Date): Promise<AnswerStore> {
    const file = path.join(dataDir, 'answers.jsonl');
    const all = await readJsonLines<AnswerRecord>(file);
    const cutoff = now.getTime() - KEEP_DAYS * 24 * 3600 * 1000;
    const kept = all.filter((r) => Date.parse(r.createdAt) >= cutoff);
    if (kept.length < all.length) {
      // Drop expired answers so the file does not grow without end.
      await writeFileAtomic(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
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
