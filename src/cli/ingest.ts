import '../load-env.js';
import { ingest } from '../ingest/ingest.js';
import { formatSummary, progressPrinter } from '../ingest/progress.js';
import { parseCliArgs } from './args.js';
import { createCliContext, runCli } from './context.js';

const USAGE = `Usage: npm run ingest
Brings the index in line with CORPUS_DIR: embeds new and changed articles, drops removed ones.`;

/** `npm run ingest`: brings the index in line with the corpus folder and prints what changed. */
runCli(async () => {
  const { values } = parseCliArgs(
    { options: { help: { type: 'boolean', short: 'h', default: false } } },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
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
