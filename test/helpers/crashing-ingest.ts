/**
 * Runs an ingest in its own process, reporting each progress event and checkpoint as a JSON line on
 * stdout, and kills itself with SIGKILL at a named checkpoint (`none`: never; the parent may kill it when
 * a progress line says a phase is under way), the way a power cut or an OOM kill would stop it: no
 * cleanup, no finally blocks.
 * Usage: tsx crashing-ingest.ts <corpusDir> <indexDir> <backend> <checkpoint|none>
 */
import { ingest } from '../../src/ingest/ingest.js';
import { silentLogger } from '../../src/logger.js';
import type { BackendName } from '../../src/store/manifest.js';
import { testEmbedder } from './models.js';

const [corpusDir, indexDir, backend, crashAt] = process.argv.slice(2) as [
  string,
  string,
  BackendName,
  string,
];
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
await ingest({
  corpusDir,
  indexDir,
  backend,
  maxFileBytes: 1024 * 1024,
  embedder: await testEmbedder('tiny-random-bert'),
  log: silentLogger(),
  maintenance: 'await',
  onProgress: (progress) => say(progress),
  checkpoint: (step) => {
    say({ checkpoint: step });
    if (step === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
say({ finished: true });
