import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { describeError, errorCode, UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * The bot's state files in DATA_DIR (digests.json, instant.json, feeds-state.json, answers.jsonl,
 * feedback.jsonl) hold who asked what and who subscribed to what: readable by the bot's user only.
 */
export const STATE_DIR_MODE = 0o700;
export const STATE_FILE_MODE = 0o600;

/** Creates the state folder (and missing parents) for the bot's user only. An existing one is left as it is. */
export async function ensureStateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: STATE_DIR_MODE });
}

/** Writes a state file atomically, readable and writable by the bot's user only. */
export function writeStateFile(file: string, data: string): Promise<void> {
  return writeFileAtomic(file, data, STATE_FILE_MODE);
}

/** Where a damaged state file is moved: beside it, named with the time, never overwriting anything. */
export function asideName(file: string, now: Date): string {
  return `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
}

export interface StateFileOptions {
  log: Logger;
  now: () => Date;
  /** What starting without the file means, for the log line (e.g. "instant alerts start from now"). */
  consequence: string;
}

/**
 * A state file checked with its schema; null when there is none. One that is not JSON or does not match
 * is moved aside (`<file>.corrupt-<time>`, kept for repair) and logged as an error with the file, what is
 * wrong and what starting without it means; the caller then starts from empty, so a damaged state file
 * never stops the bot. A file that cannot be read at all (permissions) is an error naming it.
 */
export async function readStateFile<S extends z.ZodTypeAny>(
  file: string,
  schema: S,
  options: StateFileOptions,
): Promise<z.infer<S> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return null;
    throw new UserFacingError(
      `${file} cannot be read (${code ?? describeError(error)}): give the bot's user read and write access to it, or move it away to start without it.`,
    );
  }
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    problem = `${issue?.path.join('.') || 'top level'}: ${issue?.message}`;
  } catch (error) {
    problem = `not valid JSON (${describeError(error)})`;
  }
  const aside = asideName(file, options.now());
  await rename(file, aside);
  options.log.error(
    { file, movedTo: aside, problem },
    `${path.basename(file)} is damaged: moved it aside and started without it (${options.consequence}). To recover it, stop the bot, repair the moved file and rename it back`,
  );
  return null;
}
