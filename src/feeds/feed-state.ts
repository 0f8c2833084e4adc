import path from 'node:path';
import { z } from 'zod';
import { type Logger, silentLogger } from '../logger.js';
import { SerialQueue } from '../util/serial-queue.js';
import { ensureStateDir, readStateFile, writeStateFile } from '../util/state-file.js';
import { feedKeysInCorpus } from './seen-in-corpus.js';

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
 * load (a damaged file is moved aside, see `readStateFile`), written atomically through one queue. On
 * open, the dedupe keys of the feed articles already in the corpus are added, so that neither a lost state
 * file nor a crash between writing an article and recording it ever writes an item twice.
 */
export class FeedStateStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private state: FeedState,
  ) {}

  static async open(
    dataDir: string,
    options: { corpusDir?: string; log?: Logger; now?: () => Date } = {},
  ): Promise<FeedStateStore> {
    const file = path.join(dataDir, 'feeds-state.json');
    const now = options.now ?? (() => new Date());
    const log = options.log ?? silentLogger();
    await ensureStateDir(dataDir);
    const read = await readStateFile(file, stateSchema, {
      log,
      now,
      consequence:
        'feeds are polled afresh; items already in the corpus are recognised and not written again',
    });
    const store = new FeedStateStore(file, read ?? { version: 1, feeds: {}, seen: {}, pending: {} });
    if (options.corpusDir) {
      const keys = await feedKeysInCorpus(options.corpusDir);
      const missing = [...keys].filter(([key]) => !store.hasSeen(key));
      if (missing.length > 0) {
        const at = now().toISOString();
        await store.update((s) => {
          for (const [key, source] of missing) {
            s.seen[key] = { at, source };
            delete s.pending[key];
          }
        });
        log.info(
          { keys: missing.length },
          'feed items found in the corpus and not in feeds-state.json: recorded',
        );
      }
    }
    return store;
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
      await writeStateFile(this.file, JSON.stringify(next));
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
