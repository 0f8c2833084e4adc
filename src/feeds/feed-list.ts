import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { describeError, errorCode, UserFacingError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SerialQueue } from '../util/serial-queue.js';

/** One feed as FEEDS_FILE lists it (only `url` and `outlet` are required). */
export interface FeedSource {
  url: string;
  outlet: string;
  intervalMinutes?: number;
  tags?: string[];
}

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) url');

export const feedSourceSchema = z
  .object({
    url: httpUrl,
    outlet: z.string().trim().min(1, 'is required (the outlet name articles are filed under)').max(100),
    intervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  })
  .strict();

const feedFileSchema = z.object({ feeds: z.array(feedSourceSchema) }).strict();

/**
 * FEEDS_FILE: `{ "feeds": [ { "url", "outlet", "intervalMinutes"?, "tags"? } ] }`. Read (and checked) on every
 * poll, so edits by hand take effect without a restart; `/feeds add|remove` rewrite it atomically through
 * one queue. A missing file is an empty list; a malformed one is an error naming the file and the problem.
 */
export class FeedList {
  private readonly queue = new SerialQueue();

  constructor(readonly file: string) {}

  async load(): Promise<FeedSource[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw new UserFacingError(`${this.file} cannot be read: ${describeError(error)}`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new UserFacingError(
        `${this.file} is not valid JSON (${describeError(error)}); fix or remove it.`,
      );
    }
    const parsed = feedFileSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserFacingError(
        `${this.file} is malformed at ${issue?.path.join('.') || 'top level'}: ${issue?.message}. See feeds.example.json.`,
      );
    }
    const seen = new Set<string>();
    return parsed.data.feeds.filter((f) => !seen.has(f.url) && seen.add(f.url));
  }

  /** Adds a feed (or replaces the one with the same url); returns whether it was new. */
  add(feed: FeedSource): Promise<boolean> {
    const checked = feedSourceSchema.parse(feed);
    return this.change((feeds) => {
      const index = feeds.findIndex((f) => f.url === checked.url);
      if (index === -1) return { feeds: [...feeds, checked], result: true };
      const next = [...feeds];
      next[index] = checked;
      return { feeds: next, result: false };
    });
  }

  /** Removes the feed with this url; returns the removed feed, or null. */
  remove(url: string): Promise<FeedSource | null> {
    return this.change((feeds) => {
      const removed = feeds.find((f) => f.url === url) ?? null;
      return { feeds: feeds.filter((f) => f.url !== url), result: removed };
    });
  }

  private change<T>(edit: (feeds: FeedSource[]) => { feeds: FeedSource[]; result: T }): Promise<T> {
    return this.queue.run(async () => {
      const { feeds, result } = edit(await this.load());
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify({ feeds }, null, 2)}\n`);
      return result;
    });
  }
}
