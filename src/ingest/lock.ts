import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { errorCode, UserFacingError } from '../errors.js';

/**
 * A lock file in the index folder so two processes (the bot's /reindex and a CLI ingest) never write the
 * index at the same time. A lock left by a process that died is taken over.
 */
export async function acquireIndexLock(indexDir: string): Promise<() => Promise<void>> {
  await mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, 'ingest.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then hard-linked into place: link() fails if the lock exists, and a lock that exists
    // always has its content (a plain 'wx' open could be seen empty by the other process).
    const draft = `${file}.${process.pid}`;
    await writeFile(draft, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    try {
      await link(draft, file);
      return () => rm(file, { force: true });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      const holder = await readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new UserFacingError(
          `Another ingest is running (process ${holder.pid}, since ${holder.since}). Try again when it has finished.`,
        );
      }
      await rm(file, { force: true }); // stale: its process is gone
    } finally {
      await rm(draft, { force: true });
    }
  }
  throw new UserFacingError('Could not take the index lock; try again.');
}

/** What the lock file holds: the process that took the lock, and when. */
const holderSchema = z.object({ pid: z.number().int().positive(), since: z.string() });

/** The lock's holder, or null when the file is gone, torn or not a lock file (then it is taken over). */
async function readHolder(file: string): Promise<z.infer<typeof holderSchema> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
