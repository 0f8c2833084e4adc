import '../load-env.js';
import { ingest } from '../ingest/ingest.js';
import { formatSummary, progressPrinter } from '../ingest/progress.js';
import { createCliContext, runCli } from './context.js';

/** `npm run ingest`: brings the index in line with the corpus folder and prints what changed. */
runCli(async () => {
  const { config, log, embedder } = await createCliContext(process.env);
  const result = await ingest({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    maxFileBytes: config.maxFileBytes,
    embedder,
    log,
    onProgress: progressPrinter(process.stderr),
  });
  process.stdout.write(formatSummary(result));
  await embedder.dispose();
});
