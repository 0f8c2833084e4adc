/**
 * `npm run playground`: the bot against the local Discord stand-in, and a page on 127.0.0.1 to use it
 * (docs/playground.md). Settings come from the environment and .env like the bot's (CORPUS_DIR to try your
 * own archive); Discord's are the stand-in's; EMBEDDING_MODEL unset means the shipped offline model.
 * PLAYGROUND_PORT (default 4410; 0 = any free port).
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { PROJECT_ROOT, startPlayground } from './playground.js';

const dotenv = path.join(PROJECT_ROOT, '.env');
// The environment wins over .env, as in the bot (src/load-env.ts).
const env = { ...(existsSync(dotenv) ? parse(readFileSync(dotenv)) : {}), ...process.env };
const port = Number(env.PLAYGROUND_PORT ?? 4410);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(
    `PLAYGROUND_PORT: must be a port number from 0 to 65535 (got "${env.PLAYGROUND_PORT}")\n`,
  );
  process.exit(1);
}

process.stderr.write('Starting the bot against the local Discord stand-in (model, index, then connect)…\n');
try {
  const playground = await startPlayground({ env, port });
  const model = playground.botEnv.EMBEDDING_MODEL;
  process.stdout.write(
    `Clipdesk playground: ${playground.url}\n` +
      `  archive ${path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, env.CORPUS_DIR ?? 'corpus')) || '.'}, model ${model}` +
      `${env.EMBEDDING_MODEL ? '' : ' (shipped, offline; set EMBEDDING_MODEL for another)'}\n` +
      '  Ctrl+C stops it.\n',
  );
  const stop = () => {
    playground.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(
    `The playground could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
