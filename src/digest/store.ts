import { randomBytes } from 'node:crypto';
import { copyFile, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeError, errorCode, UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { SerialQueue } from '../util/serial-queue.js';
import { asideName, ensureStateDir, writeStateFile } from '../util/state-file.js';
import { type Subscription, subscriptionSchema } from './subscription.js';

const fileSchema = z.object({ subscriptions: z.array(z.unknown()) });

export interface StoreOptions {
  log?: Logger;
  /** Names the copy of a damaged file (`digests.json.corrupt-<time>`). */
  now?: () => Date;
}

/**
 * Digest subscriptions in DATA_DIR/digests.json, rewritten atomically on every change (a crash leaves
 * the old file or the new one), through one queue so concurrent changes never lose each other.
 *
 * The file is checked on load. A damaged one does not stop the bot (its archive stays open to everyone;
 * only digests are affected): a file that is not valid JSON is moved aside to
 * `digests.json.corrupt-<time>` and the bot starts with no subscriptions; a subscription that is not valid
 * is left out, the others load, and the whole file is first copied aside. Either way an error is logged
 * with the file, what is wrong, and how to repair it; nothing of the damaged file is overwritten.
 */
export class SubscriptionStore {
  private readonly queue = new SerialQueue();
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly file: string,
    private subscriptions: Subscription[],
  ) {}

  static async open(dataDir: string, options: StoreOptions = {}): Promise<SubscriptionStore> {
    const log = options.log ?? silentLogger();
    const file = path.join(dataDir, 'digests.json');
    await ensureStateDir(dataDir);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return new SubscriptionStore(file, []);
      throw new UserFacingError(
        `${file} cannot be read (${code ?? describeError(error)}): give the bot's user read and write access to it, or move it away to start without digest subscriptions.`,
      );
    }
    const aside = asideName(file, options.now?.() ?? new Date());
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (error) {
      await rename(file, aside);
      log.error(
        { file, movedTo: aside, problem: describe(error) },
        'digests.json is damaged: moved it aside and started with no digest subscriptions. To recover them, stop the bot, repair the moved file and rename it back to digests.json; or subscribe again with /digest subscribe',
      );
      return new SubscriptionStore(file, []);
    }
    const subscriptions: Subscription[] = [];
    const rejected: Array<{ index: number; id: unknown; problem: string }> = [];
    parsed.subscriptions.forEach((raw, index) => {
      const result = subscriptionSchema.safeParse(raw);
      if (result.success) subscriptions.push(result.data);
      else
        rejected.push({
          index,
          id: (raw as { id?: unknown } | null)?.id,
          problem: describe(result.error),
        });
    });
    if (rejected.length > 0) {
      await copyFile(file, aside);
      log.error(
        { file, copiedTo: aside, rejected },
        'digests.json holds subscriptions that are not valid: left them out and kept the others. The full file was copied aside; repair it there and copy it back while the bot is stopped, or subscribe again',
      );
    }
    return new SubscriptionStore(file, subscriptions);
  }

  all(): readonly Subscription[] {
    return this.subscriptions;
  }

  get(id: string): Subscription | undefined {
    return this.subscriptions.find((s) => s.id === id);
  }

  newId(): string {
    return `d${randomBytes(4).toString('hex')}`;
  }

  /** Called after every saved change (the scheduler re-arms its timer). Returns a function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(subscription: Subscription): Promise<void> {
    return this.change((current) => [...current, subscription]);
  }

  async remove(id: string): Promise<boolean> {
    let removed = false;
    await this.change((current) => {
      const next = current.filter((s) => s.id !== id);
      removed = next.length < current.length;
      return next;
    });
    return removed;
  }

  /** Applies `edit` to a copy of the subscription and saves; returns the saved version. */
  async update(id: string, edit: (s: Subscription) => void): Promise<Subscription | undefined> {
    let updated: Subscription | undefined;
    await this.change((current) =>
      current.map((s) => {
        if (s.id !== id) return s;
        updated = structuredClone(s);
        edit(updated);
        return updated;
      }),
    );
    return updated;
  }

  /** Computes the next list, writes it, and only then makes it current (a failed write changes nothing). */
  private async change(next: (current: Subscription[]) => Subscription[]): Promise<void> {
    await this.queue.run(async () => {
      const subscriptions = next(this.subscriptions);
      await writeStateFile(this.file, JSON.stringify({ subscriptions }, null, 2));
      this.subscriptions = subscriptions;
    });
    for (const listener of this.listeners) listener();
  }
}

/** A short description of what is wrong: JSON's own message, or zod's first issues with their paths. */
function describe(error: unknown): string {
  if (error instanceof z.ZodError)
    return error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'file'}: ${i.message}`)
      .join('; ');
  return describeError(error);
}
