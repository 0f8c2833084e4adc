/**
 * Runs an ingest in its own process and kills itself with SIGKILL at a named step, the way a power cut
 * or an OOM kill would stop it: no cleanup, no finally blocks.
 * Usage: tsx crashing-ingest.ts <corpusDir> <indexDir> <step|none>
 */
import { ingest } from '../../src/ingest/ingest.js';
import { silentLogger } from '../../src/logger.js';
import { testEmbedder } from './models.js';

const [corpusDir, indexDir, crashAt] = process.argv.slice(2) as [string, string, string];
await ingest({
  corpusDir,
  indexDir,
  maxFileBytes: 1024 * 1024,
  embedder: await testEmbedder('tiny-random-bert'),
  log: silentLogger(),
  checkpoint: (step) => {
    if (step === crashAt) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished\n');
