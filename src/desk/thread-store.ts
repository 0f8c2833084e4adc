import path from 'node:path';
import { z } from 'zod';
import { type Logger, silentLogger } from '../logger.js';
import { SerialQueue } from '../util/serial-queue.js';
import { ensureStateDir, readStateFile, writeStateFile } from '../util/state-file.js';

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO time');

/** Questions of a thread remembered for combining follow-ups (the latest ones). */
export const MAX_THREAD_QUESTIONS = 20;
/** Threads remembered at once; the least recently used are forgotten first. */
export const MAX_THREADS = 5000;

const threadSchema = z.object({
  guildId: z.string().min(1),
  /** The channel the thread was opened in: its scope (/scope, as it is now) applies to the thread. */
  parentId: z.string().min(1),
  /** The answer message the thread was opened on. */
  messageId: z.string().min(1),
  openedBy: z.string().min(1),
  openedAt: isoTime,
  lastAt: isoTime,
  filters: z.object({
    outlet: z.string().nullable(),
    since: z.string().nullable(),
    until: z.string().nullable(),
  }),
  perPage: z.number().int().min(1).max(50),
  /** As typed and as searched, oldest first. */
  questions: z
    .array(z.object({ asked: z.string(), searched: z.string(), by: z.string(), at: isoTime }))
    .max(MAX_THREAD_QUESTIONS),
});
const fileSchema = z.object({ version: z.literal(1), threads: z.record(threadSchema) });

export type ThreadState = z.infer<typeof threadSchema>;

/**
 * DATA_DIR/threads.json: the follow-up threads opened from answers, by thread id: their filters, scope and
 * questions, so that a follow-up after a restart is still read against the thread's earlier questions.
 * Checked with zod on load (a damaged file is moved aside and logged); written atomically through one queue.
 */
export class ThreadStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private data: z.infer<typeof fileSchema>,
  ) {}

  static async open(dataDir: string, options: { log?: Logger; now?: () => Date } = {}): Promise<ThreadStore> {
    const file = path.join(dataDir, 'threads.json');
    await ensureStateDir(dataDir);
    const data = await readStateFile(file, fileSchema, {
      log: options.log ?? silentLogger(),
      now: options.now ?? (() => new Date()),
      consequence: 'messages in earlier follow-up threads are no longer answered unless they mention the bot',
    });
    return new ThreadStore(file, data ?? { version: 1, threads: {} });
  }

  get(threadId: string): ThreadState | undefined {
    return this.data.threads[threadId];
  }

  /** The thread opened on an answer message, if any. */
  byMessage(messageId: string): [string, ThreadState] | undefined {
    return Object.entries(this.data.threads).find(([, t]) => t.messageId === messageId);
  }

  set(threadId: string, state: ThreadState): Promise<void> {
    return this.queue.run(async () => {
      const next = structuredClone(this.data);
      next.threads[threadId] = state;
      const ids = Object.keys(next.threads);
      if (ids.length > MAX_THREADS) {
        ids.sort((a, b) => (next.threads[a]?.lastAt ?? '').localeCompare(next.threads[b]?.lastAt ?? ''));
        for (const id of ids.slice(0, ids.length - MAX_THREADS)) delete next.threads[id];
      }
      await writeStateFile(this.file, JSON.stringify(next));
      this.data = next;
    });
  }

  /** Adds a question to the thread (keeping the latest MAX_THREAD_QUESTIONS). */
  async addQuestion(threadId: string, question: ThreadState['questions'][number]): Promise<void> {
    const state = this.data.threads[threadId];
    if (!state) return;
    await this.set(threadId, {
      ...state,
      lastAt: question.at,
      questions: [...state.questions, question].slice(-MAX_THREAD_QUESTIONS),
    });
  }
}
