import { open } from 'node:fs/promises';

/**
 * Test seam for storage faults: called before every file the store writes, with the bytes about to be
 * written. A test throws an `ENOSPC` error from it to play a full disk; nothing else uses it.
 */
export type BeforeWrite = (file: string, bytes: number) => void;

/** Writes a new file and flushes it to disk before returning (segment files are never rewritten). */
export async function writeSynced(
  file: string,
  data: Uint8Array | string,
  beforeWrite?: BeforeWrite,
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  beforeWrite?.(file, bytes.length);
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** True for errors meaning the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  const message = error instanceof Error ? error.message : String(error);
  return /no space left on device|disk quota exceeded/i.test(message);
}
