import '../load-env.js';
import { createInterface } from 'node:readline';
import { describeError, UserFacingError } from '../errors.js';
import type { SearchOptions } from '../search/search-service.js';
import { FILTER_ARGS, parseCliArgs } from './args.js';
import { toJson, toText } from './ask-format.js';
import { createCliContext, runCli } from './context.js';
import { printArchiveList } from './list-command.js';
import { openSearch } from './open-search.js';

const USAGE = `Usage: npm run ask -- "question" [--limit N] [--outlet NAME] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--order relevance|date] [--json]
       npm run ask -- --list [--outlet NAME] [--json]   (the archive's articles, as npm run sources)
With no question, reads one question per line from standard input.`;

/** `npm run ask`: answers questions from the archive with verbatim, sourced quotes. */
runCli(async () => {
  const { values, positionals } = parseCliArgs(
    {
      allowPositionals: true,
      options: { ...FILTER_ARGS, list: { type: 'boolean', default: false } },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.list) {
    if (positionals.length > 0) throw new UserFacingError(`--list takes no question.\n${USAGE}`);
    await printArchiveList(process.env, { outlet: values.outlet ?? null, json: values.json });
    return;
  }
  const limit = values.limit === undefined ? 5 : Number(values.limit);
  if (!/^\d+$/.test(values.limit ?? '5') || limit < 1 || limit > 50)
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
  const { corpusDir } = context.config;

  if (positionals.length > 0) {
    const response = await search.search(positionals.join(' '), options);
    process.stdout.write(
      values.json
        ? `${JSON.stringify(toJson(response, corpusDir, root))}\n`
        : toText(response, corpusDir, root, options),
    );
  } else {
    // One question per line; the model is loaded once for all of them. With --json every input line
    // gets exactly one output line (an `error` line when it cannot be asked), so answers line up with
    // questions; a person reading text sees each question above its answers, blank lines skipped.
    let answered = 0;
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!values.json && line.trim() === '') continue;
      if (!values.json) process.stdout.write(`${answered++ > 0 ? '\n' : ''}Question: ${line.trim()}\n`);
      try {
        const response = await search.search(line, options);
        process.stdout.write(
          values.json
            ? `${JSON.stringify(toJson(response, corpusDir, root))}\n`
            : toText(response, corpusDir, root, options),
        );
      } catch (error) {
        const message = error instanceof UserFacingError ? error.message : unexpected(error);
        if (!(error instanceof UserFacingError)) {
          context.log.error({ err: error }, 'a question could not be answered');
          process.exitCode = 2;
        }
        if (values.json)
          process.stdout.write(`${JSON.stringify({ question: line.trim(), results: [], error: message })}\n`);
        else process.stderr.write(`${message}\n`);
      }
    }
  }
  await context.embedder.dispose();
});

function unexpected(error: unknown): string {
  return `Unexpected error: ${describeError(error)}`;
}
