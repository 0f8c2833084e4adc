import path from 'node:path';
import { appendJsonLine, readJsonLines } from '../util/jsonl.js';

/** One event of the research desk a newsroom may want to look back on. */
export type DeskEvent =
  | {
      kind: 'follow-up';
      at: string;
      guildId: string;
      threadId: string;
      userId: string;
      asked: string;
      searched: string;
      how: 'as-is' | 'replaced' | 'joined';
      resultIds: string[];
    }
  | { kind: 'mention'; at: string; guildId: string; channelId: string; userId: string; question: string }
  | {
      kind: 'thread-opened';
      at: string;
      guildId: string;
      channelId: string;
      threadId: string;
      userId: string;
      answerId: string;
    }
  | {
      kind: 'scope-set' | 'scope-cleared' | 'scope-refused';
      at: string;
      guildId: string | null;
      channelId: string;
      userId: string;
      scope?: unknown;
      reason?: string;
    }
  | {
      kind: 'alert-created' | 'alert-refused';
      at: string;
      guildId: string | null;
      userId: string;
      answerId: string;
      subscriptionId?: string;
      topic: string;
      reason?: string;
    };

/** DATA_DIR/desk.jsonl: follow-ups, mentions, threads, scope changes and alerts, one JSON line each. */
export class DeskTrail {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'desk.jsonl');
  }

  record(event: DeskEvent): Promise<void> {
    return appendJsonLine(this.file, event);
  }

  all(): Promise<DeskEvent[]> {
    return readJsonLines<DeskEvent>(this.file);
  }
}
