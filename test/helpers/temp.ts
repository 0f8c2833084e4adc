import { rmSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './models.js';

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder, removed when the test process exits (also from hooks, unlike node:test's after). */
export async function tempDir(prefix = 'clipdesk-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A temporary copy of the shipped corpus. */
export async function copyOfShippedCorpus(): Promise<string> {
  const dir = await tempDir('clipdesk-corpus-');
  await cp(path.join(PROJECT_ROOT, 'corpus'), dir, { recursive: true });
  return dir;
}
