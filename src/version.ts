import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const packageSchema = z.object({ name: z.string().optional(), version: z.string().optional() });

/** The version in package.json, found from this file whether it runs from src/ (tsx) or dist/src/ (built). */
export function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = packageSchema.safeParse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));
      if (pkg.success && pkg.data.name === 'clipdesk' && pkg.data.version) return pkg.data.version;
    } catch {
      // not here: look one folder up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
