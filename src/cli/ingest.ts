import '../load-env.js';
import { parseArgs } from 'node:util';
import { ingest } from '../ingest/ingest.js';
import { formatSummary, progressPrinter } from '../ingest/progress.js';
import { createCliContext, runCli } from './context.js';

/** `npm run ingest`: brings the index in line with the corpus folder and prints what changed. */
runCli(async () => {
  const { values } = parseArgs({ options: { 'allow-empty': { type: 'boolean', default: false } } });
  const { config, log, embedder } = await createCliContext(process.env);
  const result = await ingest({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    maxFileBytes: config.maxFileBytes,
    backend: config.indexBackend,
    allowEmpty: values['allow-empty'],
    embedder,
    log,
    onProgress: progressPrinter(process.stderr),
    // The process exits next: merge small segments now rather than leave it to the next run.
    maintenance: 'await',
  });
  process.stdout.write(formatSummary(result));
  await embedder.dispose();
});
