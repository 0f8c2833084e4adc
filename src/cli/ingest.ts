import '../load-env.js';
import { ingest } from '../ingest/ingest.js';
import { formatSummary, progressPrinter } from '../ingest/progress.js';
import { parseCliArgs } from './args.js';
import { createCliContext, runCli } from './context.js';

const USAGE = `Usage: npm run ingest [--allow-empty]
Brings the index in line with CORPUS_DIR: embeds new and changed articles, drops removed ones, and reads
the index against its checksums (a damaged part is dropped and its articles read again from the corpus).
--allow-empty  accept an empty corpus folder over an index that holds articles (removes them all)`;

/** `npm run ingest`: brings the index in line with the corpus folder and prints what changed. */
runCli(async () => {
  const { values } = parseCliArgs(
    {
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        'allow-empty': { type: 'boolean', default: false },
      },
    },
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
    backend: config.indexBackend,
    allowEmpty: values['allow-empty'],
    // The repair every damage message names: read every index segment against its checksums.
    verifyIndex: true,
    embedder,
    log,
    onProgress: progressPrinter(process.stderr),
    // The process exits next: merge small segments now rather than leave it to the next run.
    maintenance: 'await',
  });
  process.stdout.write(formatSummary(result));
  await embedder.dispose();
});
