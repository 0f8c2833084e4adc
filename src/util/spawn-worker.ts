import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside `callerUrl` (the caller's `import.meta.url`). From the
 * TypeScript sources (tsx, tests) the worker registers tsx itself, since Node 20 does not pass the parent's
 * module hooks on to workers; from the compiled `dist/` it runs the `.js` file.
 */
export function spawnWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  return spawnTsWorker(new URL(`./${name}.ts`, callerUrl).href, options);
}

/** A worker running a TypeScript module (by file URL) through tsx. */
export function spawnTsWorker(entryUrl: string, options: WorkerOptions = {}): Worker {
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(entryUrl);
  const boot = `import(${api}).then(({ register }) => { register(); return import(${entry}); });`;
  return new Worker(boot, { ...options, eval: true });
}
