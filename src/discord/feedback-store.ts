import path from 'node:path';
import { z } from 'zod';
import { appendJsonLine, readValidJsonLines } from '../util/jsonl.js';

const feedbackRecordSchema = z.object({
  at: z.string(),
  answerId: z.string(),
  question: z.string(),
  page: z.number().int().nonnegative(),
  /** Article ids shown on that page, best first. */
  resultIds: z.array(z.string()),
  vote: z.enum(['up', 'down']),
  userId: z.string(),
  guildId: z.string().nullable(),
});

/** One 👍 or 👎 on a page of an answer. */
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

/** Feedback appended to `feedback.jsonl` in DATA_DIR, for the newsroom to review. */
export class FeedbackStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'feedback.jsonl');
  }

  record(entry: FeedbackRecord): Promise<void> {
    return appendJsonLine(this.file, entry);
  }

  /** Every record that parses and matches the schema; torn or foreign lines are skipped. */
  async all(): Promise<FeedbackRecord[]> {
    return (await readValidJsonLines(this.file, feedbackRecordSchema)).values;
  }
}
