import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';

/**
 * Test seam for storage faults: called before every file written through `writeSynced`, with the bytes
 * about to be written. A test throws an `ENOSPC` error from it to play a full disk; nothing else uses it.
 */
export type BeforeWrite = (file: string, bytes: number) => void;

export interface SyncedWriteOptions {
  /** Fail with EEXIST rather than replace an existing file. */
  exclusive?: boolean;
  /** The new file's permissions (before the umask). */
  mode?: number;
  beforeWrite?: BeforeWrite;
}

/**
 * The one write-then-fsync: writes `file` and flushes it to disk before returning. The building block of
 * `writeFileAtomic` (a temporary file renamed into place), of the store's never-rewritten segment files
 * (`exclusive`) and of articles staged in the corpus.
 */
export async function writeSynced(
  file: string,
  data: Uint8Array | string,
  { exclusive = false, mode = 0o666, beforeWrite }: SyncedWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  beforeWrite?.(file, bytes.length);
  const handle = await open(file, exclusive ? 'wx' : 'w', mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file so that a reader (or a crash) sees either the old content or the new one, never half:
 * write a temporary sibling, fsync it, rename it over the target, fsync the directory. `mode` is the new
 * file's permissions (before the umask).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o666): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeSynced(tmp, data, { mode });
  await rename(tmp, file);
  await syncDirectory(path.dirname(file));
}

/** Makes a rename or a new file in `dir` durable. Some file systems refuse to open directories: ignore. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // fsync on a directory is best effort (not supported everywhere).
  }
}
