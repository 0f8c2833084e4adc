import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SerialQueue } from '../util/serial-queue.js';
import type { Subscription } from './subscription.js';

/**
 * Digest subscriptions in DATA_DIR/digests.json, rewritten atomically on every change (a crash leaves
 * the old file or the new one), through one queue so concurrent changes never lose each other.
 */
export class SubscriptionStore {
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    private subscriptions: Subscription[],
  ) {}

  static async open(dataDir: string): Promise<SubscriptionStore> {
    const file = path.join(dataDir, 'digests.json');
    await mkdir(dataDir, { recursive: true });
    let subscriptions: Subscription[] = [];
    try {
      subscriptions = (JSON.parse(await readFile(file, 'utf8')) as { subscriptions: Subscription[] })
        .subscriptions;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`${file} cannot be read: ${(error as Error).message}`);
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
  private change(next: (current: Subscription[]) => Subscription[]): Promise<void> {
    return this.queue.run(async () => {
      const subscriptions = next(this.subscriptions);
      await writeFileAtomic(this.file, JSON.stringify({ subscriptions }, null, 2));
      this.subscriptions = subscriptions;
    });
  }
}
