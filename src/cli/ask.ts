import '../load-env.js';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { UserFacingError } from '../errors.js';
import { openOrBuildIndex } from '../ingest/open-index.js';
import { progressPrinter } from '../ingest/progress.js';
import type { SearchOptions, SearchService } from '../search/search-service.js';
import { toJson, toText } from './ask-format.js';
import { type CliContext, createCliContext, runCli } from './context.js';

const USAGE = `Usage: npm run ask -- "question" [--limit N] [--outlet NAME] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--order relevance|date] [--json]
With no question, reads one question per line from standard input.`;

/** `npm run ask`: answers questions from the archive with verbatim, sourced quotes. */
runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      limit: { type: 'string', short: 'n' },
      outlet: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      order: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const limit = values.limit === undefined ? 5 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50)
    throw new UserFacingError(`--limit must be a whole number from 1 to 50.\n${USAGE}`);
  if (values.order !== undefined && values.order !== 'relevance' && values.order !== 'date') {
    throw new UserFacingError(`--order must be relevance or date.\n${USAGE}`);
  }
  const options: SearchOptions = {
    limit,
    outlet: values.outlet ?? null,
    since: values.since ?? null,
    until: values.until ?? null,
    order: values.order === 'date' ? 'date' : 'relevance',
  };

  const context = await createCliContext(process.env);
  const search = await openSearch(context);
  const root = process.cwd();
  const answer = async (question: string) => {
    const response = await search.search(question, options);
    process.stdout.write(
      values.json
        ? `${JSON.stringify(toJson(response, context.config.corpusDir, root))}\n`
        : toText(response, context.config.corpusDir, root),
    );
  };

  if (positionals.length > 0) {
    await answer(positionals.join(' '));
  } else {
    // One question per line; the model is loaded once for all of them. A bad line answers with its
    // error and the next line goes on.
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === '') continue;
      try {
        await answer(line);
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
        if (values.json)
          process.stdout.write(
            `${JSON.stringify({ question: line.trim(), results: [], error: error.message })}\n`,
          );
        else process.stderr.write(`${error.message}\n`);
      }
    }
  }
  await context.embedder.dispose();
});

/** Opens the index, building it first on a fresh checkout (or for a new model), with progress on stderr. */
function openSearch({ config, log, embedder }: CliContext): Promise<SearchService> {
  return openOrBuildIndex({
    config,
    embedder,
    log,
    onBuild: (reason) => process.stderr.write(`${reason}\n`),
    onProgress: progressPrinter(process.stderr),
  });
}
