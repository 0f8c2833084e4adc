/**
 * Runs a compiled entry point from dist/, compiling the TypeScript first when dist/ is missing or older than
 * the source: `node scripts/run-built.mjs src/cli/ask.js -- args`. Install scripts do not run (`.npmrc`:
 * ignore-scripts=true, so that no dependency downloads anything at install), so nothing builds dist/ at
 * install time; the first `npm start` / `npm run ask` after an install or a change does, in a few seconds.
 * `node scripts/run-built.mjs --build` only builds (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.built');
const SOURCES = ['src', 'commands'];
const INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** Newest modification time (ms) of the TypeScript sources and the build settings. */
function newestSource() {
  let newest = 0;
  const visit = (folder) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json'))
        newest = Math.max(newest, mtime(full));
    }
  };
  for (const folder of SOURCES) visit(path.join(root, folder));
  for (const file of INPUTS) newest = Math.max(newest, mtime(path.join(root, file)));
  return newest;
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export function build({ quiet = false } = {}) {
  if (!quiet) process.stderr.write('Compiling the TypeScript to dist/ (after an install or a change)…\n');
  const pkg = createRequire(import.meta.url).resolve('typescript/package.json');
  const tsc = path.join(path.dirname(pkg), 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('The TypeScript did not compile (above); dist/ was not updated.\n');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

const [entry, ...rest] = process.argv.slice(2);
if (entry === '--build') {
  build({ quiet: true });
} else if (entry) {
  if (mtime(stamp) < newestSource()) build();
  const target = path.join(root, 'dist', entry);
  // The entry point sees the arguments as if it had been started directly: node dist/src/cli/ask.js args.
  process.argv.splice(1, process.argv.length - 1, target, ...rest);
  await import(pathToFileURL(target).href);
} else {
  process.stderr.write('usage: node scripts/run-built.mjs <entry under dist/> [args] | --build\n');
  process.exit(1);
}
