import path from 'node:path';
import { appendJsonLine, readJsonLines } from '../util/jsonl.js';

/** One 👍 or 👎 on a page of an answer. */
export interface FeedbackRecord {
  at: string;
  answerId: string;
  question: string;
  page: number;
  /** Article ids shown on that page, best first. */
  resultIds: string[];
  vote: 'up' | 'down';
  userId: string;
  guildId: string | null;
}

/** Feedback appended to `feedback.jsonl` in DATA_DIR, for the newsroom to review. */
export class FeedbackStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'feedback.jsonl');
  }

  record(entry: FeedbackRecord): Promise<void> {
    return appendJsonLine(this.file, entry);
  }

  all(): Promise<FeedbackRecord[]> {
    return readJsonLines<FeedbackRecord>(this.file);
  }
}
