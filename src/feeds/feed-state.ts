import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SerialQueue } from '../util/serial-queue.js';

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO time');

const feedItemSchema = z.object({
  guid: z.string().nullable(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  published: z.string().nullable(),
  author: z.string().nullable(),
  content: z.string().nullable(),
  contentIsText: z.boolean(),
  summary: z.string().nullable(),
});

const errorSchema = z.object({ at: isoTime, message: z.string(), item: z.string().optional() });

const feedRecordSchema = z.object({
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  lastPollAt: isoTime.nullable(),
  lastSuccessAt: isoTime.nullable(),
  lastError: errorSchema.nullable(),
  /** Failed polls in a row (drives the backoff). */
  failures: z.number().int().min(0),
  nextPollAt: isoTime.nullable(),
  lastNewItems: z.number().int().min(0),
});

const pendingSchema = z.object({
  feedUrl: z.string(),
  outlet: z.string(),
  tags: z.array(z.string()),
  item: feedItemSchema,
  keys: z.array(z.string()),
  attempts: z.number().int().min(1),
  nextAttemptAt: isoTime,
  lastError: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  feeds: z.record(feedRecordSchema),
  /** Dedupe keys (`guid:…`, `url:…`) of items already written (or given up on), with when and where. */
  seen: z.record(z.object({ at: isoTime, source: z.string().nullable() })),
  /** Items that failed (page timeout, no text…) and wait for another try. */
  pending: z.record(pendingSchema),
});

export type FeedRecord = z.infer<typeof feedRecordSchema>;
export type PendingItem = z.infer<typeof pendingSchema>;
export type FeedState = z.infer<typeof stateSchema>;

/** Dedupe keys kept at most; the oldest are forgotten first (feeds list recent items only). */
export const MAX_SEEN = 50_000;

export const emptyFeedRecord = (): FeedRecord => ({
  etag: null,
  lastModified: null,
  lastPollAt: null,
  lastSuccessAt: null,
  lastError: null,
  failures: 0,
  nextPollAt: null,
  lastNewItems: 0,
});

/**
 * DATA_DIR/feeds-state.json: per feed its validators (ETag, Last-Modified), last success, last error and
 * next poll; the dedupe keys of every item taken; the items waiting for a retry. Checked with zod on
 * load (a bad file is named with the way to repair it), written atomically through one queue.
 */
export class FeedStateStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private state: FeedState,
  ) {}

  static async open(dataDir: string): Promise<FeedStateStore> {
    const file = path.join(dataDir, 'feeds-state.json');
    await mkdir(dataDir, { recursive: true });
    let state: FeedState = { version: 1, feeds: {}, seen: {}, pending: {} };
    let text: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`${file} cannot be read: ${(error as Error).message}`);
    }
    if (text !== null) {
      let parsed: ReturnType<typeof stateSchema.safeParse>;
      try {
        parsed = stateSchema.safeParse(JSON.parse(text));
      } catch (error) {
        throw new Error(
          `${file} is not valid JSON (${(error as Error).message}). Delete it to start over: feeds are polled again and items already in the corpus are skipped by their url.`,
        );
      }
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `${file} is malformed at ${issue?.path.join('.') || 'top level'}: ${issue?.message}. Delete it to start over.`,
        );
      }
      state = parsed.data;
    }
    return new FeedStateStore(file, state);
  }

  get current(): Readonly<FeedState> {
    return this.state;
  }

  feed(url: string): FeedRecord {
    return this.state.feeds[url] ?? emptyFeedRecord();
  }

  hasSeen(key: string): boolean {
    return key in this.state.seen;
  }

  /** Applies `edit` to a copy of the state, writes it, and only then makes it current. */
  update(edit: (state: FeedState) => void): Promise<void> {
    return this.queue.run(async () => {
      const next = structuredClone(this.state);
      edit(next);
      prune(next);
      await writeFileAtomic(this.file, JSON.stringify(next));
      this.state = next;
    });
  }
}

function prune(state: FeedState): void {
  const keys = Object.keys(state.seen);
  if (keys.length <= MAX_SEEN) return;
  const oldest = keys.sort((a, b) => (state.seen[a]?.at ?? '').localeCompare(state.seen[b]?.at ?? ''));
  for (const key of oldest.slice(0, keys.length - MAX_SEEN)) delete state.seen[key];
}
