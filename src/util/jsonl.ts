import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, errorCode } from '../errors.js';
import { ensureStateDir, STATE_FILE_MODE } from './state-file.js';

/**
 * Appends one JSON object as a line to a state file (created for the bot's user only). One write() of a
 * line under the pipe buffer size is not interleaved with other appends; a crash mid-write leaves at most
 * a torn last line, which `readValidJsonLines` reports and skips.
 */
export async function appendJsonLine(file: string, value: unknown): Promise<void> {
  await ensureStateDir(path.dirname(file));
  await appendFile(file, `${JSON.stringify(value)}\n`, { mode: STATE_FILE_MODE });
}

/** A line of a JSONL file that could not be used, and why. */
export interface RejectedLine {
  line: number;
  problem: string;
}

/**
 * The lines of a JSONL file that parse and match `schema`, and the others by line number (none when the
 * file does not exist). Never throws on content; an unreadable file still throws.
 */
export async function readValidJsonLines<T>(
  file: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error } },
): Promise<{ values: T[]; rejected: RejectedLine[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { values: [], rejected: [] };
    throw error;
  }
  const values: T[] = [];
  const rejected: RejectedLine[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      rejected.push({ line: i + 1, problem: `not JSON (${describeError(error)})` });
      return;
    }
    const result = schema.safeParse(value);
    if (result.success) values.push(result.data);
    else rejected.push({ line: i + 1, problem: result.error.message.slice(0, 200) });
  });
  return { values, rejected };
}
