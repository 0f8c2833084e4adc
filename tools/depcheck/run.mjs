// Runs dependency-cruiser's command line with the arguments given, e.g.
//   node tools/depcheck/run.mjs --config .dependency-cruiser.cjs src commands
//
// dependency-cruiser reads TypeScript through the TypeScript compiler's JavaScript API. The project compiles
// with TypeScript 7, which ships no such API, so this package carries TypeScript 5 for dependency-cruiser
// alone: every `require('typescript…')` made from inside dependency-cruiser is answered with that copy.

import { realpathSync } from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(join(here, 'package.json'));
const typescriptApi = dirname(requireHere.resolve('typescript/package.json'));
// Real paths: through a linked node_modules, modules report their real file names.
const cruiserRoot = realpathSync(
  join(dirname(fileURLToPath(import.meta.resolve('dependency-cruiser'))), '..', '..'),
);

const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveTypescriptApi(request, parent, ...rest) {
  const fromCruiser = parent?.filename?.startsWith(cruiserRoot);
  if (fromCruiser && (request === 'typescript' || request.startsWith('typescript/'))) {
    return originalResolve.call(
      this,
      join(typescriptApi, request.slice('typescript'.length)),
      parent,
      ...rest,
    );
  }
  return originalResolve.call(this, request, parent, ...rest);
};

register('./typescript-api-hooks.mjs', import.meta.url, {
  data: {
    cruiserRootUrl: pathToFileURL(cruiserRoot).href,
    typescriptApiUrl: `${pathToFileURL(typescriptApi).href}/`,
  },
});

// A run that read no module checked nothing (the TypeScript API was not found, or the paths matched no file):
// that is a failure, not a pass.
let printed = '';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  printed += String(chunk);
  return write(chunk, ...rest);
};
process.on('beforeExit', () => {
  if (/\b0 modules\b/.test(printed)) {
    process.stderr.write('depcheck: no module was read, so nothing was checked\n');
    process.exitCode = 1;
  }
});

await import(pathToFileURL(join(cruiserRoot, 'bin', 'dependency-cruise.mjs')).href);
