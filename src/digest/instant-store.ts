import path from 'node:path';
import { z } from 'zod';
import { type Logger, silentLogger } from '../logger.js';
import { SerialQueue } from '../util/serial-queue.js';
import { ensureStateDir, readStateFile, writeStateFile } from '../util/state-file.js';

const progressSchema = z.object({
  /** Articles that entered the archive up to this time (ISO) were handled… */
  until: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO time'),
  /** …and so were these, which entered it exactly at `until`. */
  handled: z.array(z.string()),
});
const fileSchema = z.object({ version: z.literal(1), subscriptions: z.record(progressSchema) });

export type InstantProgress = z.infer<typeof progressSchema>;

/**
 * DATA_DIR/instant.json: for each instant subscription, which articles it has handled (posted, or
 * looked at and found off-topic). Kept apart from digests.json so the digest store's format is untouched.
 * Checked with zod on load (a damaged file is moved aside, see `readStateFile`); written atomically
 * through one queue.
 */
export class InstantStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private data: z.infer<typeof fileSchema>,
  ) {}

  static async open(
    dataDir: string,
    options: { log?: Logger; now?: () => Date } = {},
  ): Promise<InstantStore> {
    const file = path.join(dataDir, 'instant.json');
    await ensureStateDir(dataDir);
    const data = await readStateFile(file, fileSchema, {
      log: options.log ?? silentLogger(),
      now: options.now ?? (() => new Date()),
      consequence: 'instant subscriptions alert only about articles added from now on',
    });
    return new InstantStore(file, data ?? { version: 1, subscriptions: {} });
  }

  get(id: string): InstantProgress | undefined {
    return this.data.subscriptions[id];
  }

  set(id: string, progress: InstantProgress | null): Promise<void> {
    return this.queue.run(async () => {
      const next = structuredClone(this.data);
      if (progress) next.subscriptions[id] = progress;
      else delete next.subscriptions[id];
      await writeStateFile(this.file, JSON.stringify(next));
      this.data = next;
    });
  }
}
