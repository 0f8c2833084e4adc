import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SerialQueue } from '../util/serial-queue.js';

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
 * Checked with zod on load; written atomically through one queue.
 */
export class InstantStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private data: z.infer<typeof fileSchema>,
  ) {}

  static async open(dataDir: string): Promise<InstantStore> {
    const file = path.join(dataDir, 'instant.json');
    await mkdir(dataDir, { recursive: true });
    let data: z.infer<typeof fileSchema> = { version: 1, subscriptions: {} };
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!parsed.success)
        throw new Error(
          `${file} is malformed (${parsed.error.issues[0]?.message}). Delete it: instant subscriptions then alert only about articles added after that.`,
        );
      data = parsed.data;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return new InstantStore(file, data);
  }

  get(id: string): InstantProgress | undefined {
    return this.data.subscriptions[id];
  }

  set(id: string, progress: InstantProgress | null): Promise<void> {
    return this.queue.run(async () => {
      const next = structuredClone(this.data);
      if (progress) next.subscriptions[id] = progress;
      else delete next.subscriptions[id];
      await writeFileAtomic(this.file, JSON.stringify(next));
      this.data = next;
    });
  }
}
