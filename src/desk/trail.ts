import path from 'node:path';
import { z } from 'zod';
import { appendJsonLine, readValidJsonLines } from '../util/jsonl.js';

const deskEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('follow-up'),
    at: z.string(),
    guildId: z.string(),
    threadId: z.string(),
    userId: z.string(),
    asked: z.string(),
    searched: z.string(),
    how: z.enum(['as-is', 'replaced', 'joined']),
    resultIds: z.array(z.string()),
  }),
  z.object({
    kind: z.literal('mention'),
    at: z.string(),
    guildId: z.string(),
    channelId: z.string(),
    userId: z.string(),
    question: z.string(),
  }),
  z.object({
    kind: z.literal('thread-opened'),
    at: z.string(),
    guildId: z.string(),
    channelId: z.string(),
    threadId: z.string(),
    userId: z.string(),
    answerId: z.string(),
  }),
  ...(['scope-set', 'scope-cleared', 'scope-refused'] as const).map((kind) =>
    z.object({
      kind: z.literal(kind),
      at: z.string(),
      guildId: z.string().nullable(),
      channelId: z.string(),
      userId: z.string(),
      scope: z.unknown().optional(),
      reason: z.string().optional(),
    }),
  ),
  ...(['alert-created', 'alert-refused'] as const).map((kind) =>
    z.object({
      kind: z.literal(kind),
      at: z.string(),
      guildId: z.string().nullable(),
      userId: z.string(),
      answerId: z.string(),
      subscriptionId: z.string().optional(),
      topic: z.string(),
      reason: z.string().optional(),
    }),
  ),
]);

/** One event of the research desk a newsroom may want to look back on. */
export type DeskEvent = z.infer<typeof deskEventSchema>;

/** DATA_DIR/desk.jsonl: follow-ups, mentions, threads, scope changes and alerts, one JSON line each. */
export class DeskTrail {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'desk.jsonl');
  }

  record(event: DeskEvent): Promise<void> {
    return appendJsonLine(this.file, event);
  }

  /** Every event that parses and matches the schema; torn or foreign lines are skipped. */
  async all(): Promise<DeskEvent[]> {
    return (await readValidJsonLines(this.file, deskEventSchema)).values;
  }
}
