import '../load-env.js';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Embedder } from '../embedding/embedder.js';
import { describeError, UserFacingError } from '../errors.js';
import { ingest } from '../ingest/ingest.js';
import { progressPrinter } from '../ingest/progress.js';
import { DEFAULT_QUOTE_LIMIT, findQuotes, type QuoteHit, speakerList } from '../quotes/search.js';
import { matchesFilters, validateFilters } from '../search/filters.js';
import { ArchiveReader } from '../store/archive.js';
import type { ArticleMeta } from '../store/article-view.js';
import { quotesStale } from '../store/requote.js';
import { FILTER_ARGS, parseCliArgs } from './args.js';
import { loadCliSettings, runCli } from './context.js';

const USAGE = `Usage: npm run quotes -- --speaker NAME [--about TEXT] [--outlet X] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--limit N] [--order date|relevance] [--json]
       npm run quotes -- --file PATH [--json]     (every quotation extracted from one article)
       npm run quotes -- --speakers [--json]      (everyone the archive quotes)
With no --speaker, --file or --speakers, reads one JSON query a line from standard input
({"speaker", "about", "file", "outlet", "since", "until", "limit"}) and prints one JSON line for each.`;

/**
 * One line of standard input. Other keys (an id, expected results) are ignored, so that labelled query
 * files can be piped in as they are; a key given as null counts as absent, and a limit may be a numeric string.
 */
const absent = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === null ? undefined : v), schema.optional());
const querySchema = z
  .object({
    speaker: absent(z.string().trim().min(1)),
    about: absent(z.string()),
    file: absent(z.string().min(1)),
    outlet: absent(z.string()),
    since: absent(z.string()),
    until: absent(z.string()),
    limit: absent(z.coerce.number().int().min(1).max(1000)),
    order: absent(z.enum(['date', 'relevance'])),
  })
  .strip();
type Query = z.infer<typeof querySchema>;

interface JsonQuote {
  file: string;
  title: string;
  outlet: string | null;
  date: string | null;
  url: string | null;
  quote: string;
  start: number;
  end: number;
  speaker: string | null;
  cue: string | null;
}

/** `npm run quotes`: who said what, from the quotations stored with the archive's articles. */
async function main(): Promise<void> {
  const { values } = parseCliArgs(
    {
      options: {
        speaker: { type: 'string' },
        about: { type: 'string' },
        file: { type: 'string' },
        speakers: { type: 'boolean', default: false },
        ...FILTER_ARGS,
      },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.limit !== undefined && !/^\d+$/.test(values.limit))
    throw new UserFacingError(`--limit must be a whole number from 1 to 1000.\n${USAGE}`);
  if (values.order !== undefined && values.order !== 'date' && values.order !== 'relevance')
    throw new UserFacingError(`--order must be date or relevance.\n${USAGE}`);
  const session = await QuoteSession.open();
  try {
    if (values.speakers) {
      const list = speakerList(session.reader.articles);
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ speakers: list })}\n`
          : `${list
              .map(
                (s) =>
                  `${s.name}  ${s.quotes} quotations, ${s.articles} articles, ${s.first ?? '?'} to ${s.last ?? '?'}`,
              )
              .join('\n')}\n`,
      );
      return;
    }
    const one: Query | null =
      values.speaker !== undefined || values.file !== undefined
        ? querySchema.parse({
            speaker: values.speaker,
            about: values.about,
            file: values.file,
            outlet: values.outlet,
            since: values.since,
            until: values.until,
            limit: values.limit === undefined ? undefined : Number(values.limit),
            order: values.order,
          })
        : null;
    if (one) {
      const results = await session.answer(one);
      process.stdout.write(values.json ? `${JSON.stringify({ results })}\n` : toText(results));
      return;
    }
    // One query a line; every input line gets exactly one output line, in order (an `error` line when
    // the query cannot be answered), so answers line up with queries.
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!values.json && line.trim() === '') continue;
      try {
        const parsed = querySchema.safeParse(line.trim() === '' ? {} : JSON.parse(line));
        if (!parsed.success)
          throw new UserFacingError(
            `not a query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`,
          );
        const results = await session.answer(parsed.data);
        process.stdout.write(values.json ? `${JSON.stringify({ results })}\n` : `${toText(results)}\n`);
      } catch (error) {
        const message =
          error instanceof UserFacingError
            ? error.message
            : error instanceof SyntaxError
              ? `not a JSON line: ${error.message}`
              : `Unexpected error: ${describeError(error)}`;
        if (!(error instanceof UserFacingError) && !(error instanceof SyntaxError)) process.exitCode = 2;
        if (values.json) process.stdout.write(`${JSON.stringify({ results: [], error: message })}\n`);
        else process.stderr.write(`${message}\n`);
      }
    }
  } finally {
    await session.close();
  }
}

/**
 * The index opened for quotations. Speaker queries need no model: the index is read as it is, and the
 * model is loaded only to build or update it (none yet, another corpus folder, quotations from an older
 * extractor) or to rank by `about` with meaning as well as words.
 */
class QuoteSession {
  private embedder: Embedder | null = null;
  private constructor(
    readonly reader: ArchiveReader,
    private readonly settings: Awaited<ReturnType<typeof loadCliSettings>>,
  ) {}

  static async open(): Promise<QuoteSession> {
    const settings = await loadCliSettings(process.env);
    const { config } = settings;
    let reader = await ArchiveReader.open(config.indexDir).catch(() => null);
    const stale =
      !reader ||
      quotesStale(reader.manifest) ||
      (reader.manifest.corpusDir !== undefined &&
        path.resolve(reader.manifest.corpusDir) !== path.resolve(config.corpusDir));
    let session: QuoteSession | null = null;
    if (stale) {
      await reader?.close();
      const embedder = await loadEmbedder(settings);
      process.stderr.write(
        reader
          ? `Bringing the index in ${config.indexDir} up to date first.\n`
          : `No index yet in ${config.indexDir}: ingesting ${config.corpusDir} first.\n`,
      );
      await ingest({
        corpusDir: config.corpusDir,
        indexDir: config.indexDir,
        maxFileBytes: config.maxFileBytes,
        backend: config.indexBackend,
        embedder,
        log: settings.log,
        onProgress: progressPrinter(process.stderr),
        maintenance: 'await',
      });
      reader = await ArchiveReader.open(config.indexDir);
      if (!reader) throw new UserFacingError(`The index in ${config.indexDir} could not be built.`);
      session = new QuoteSession(reader, settings);
      session.embedder = embedder;
    }
    return session ?? new QuoteSession(reader as ArchiveReader, settings);
  }

  async answer(query: Query): Promise<JsonQuote[]> {
    validateFilters(query);
    if (query.file !== undefined && query.speaker === undefined) return this.fileQuotes(query);
    if (query.speaker === undefined) throw new UserFacingError('A query needs a speaker or a file.');
    // A speaker within one article: that article's quotations by the speaker.
    const articleIds =
      query.file === undefined ? null : new Set(this.articlesOf(query.file).map((a) => a.id));
    const hits = await findQuotes(
      this.reader,
      {
        speaker: query.speaker,
        about: query.about ?? null,
        outlet: query.outlet ?? null,
        since: query.since ?? null,
        until: query.until ?? null,
        limit: query.limit ?? DEFAULT_QUOTE_LIMIT,
        order: query.order,
        articleIds,
      },
      query.about?.trim() ? (text) => this.embedAbout(text) : undefined,
    );
    return hits.map((h) => toJson(h.article, h));
  }

  /**
   * The archive's articles from one file: the path relative to CORPUS_DIR, or as given (absolute, or
   * relative to the working folder), whichever names a file of the archive; relative to CORPUS_DIR first,
   * since a project folder may hold a file of the same name (the shipped `corpus/`).
   */
  private articlesOf(given: string): ArticleMeta[] {
    const { corpusDir } = this.settings.config;
    for (const absolute of [path.resolve(corpusDir, given), path.resolve(given)]) {
      const source = path.relative(corpusDir, absolute).split(path.sep).join('/');
      const articles = this.reader.articles.filter(
        (a) => a.source === source || a.source.startsWith(`${source}#`),
      );
      if (articles.length > 0) return articles;
    }
    throw new UserFacingError(
      `${given} is not in the archive (CORPUS_DIR ${corpusDir}); run npm run ingest if it was just added.`,
    );
  }

  /** Every quotation of one article. */
  private async fileQuotes(query: Query): Promise<JsonQuote[]> {
    const articles = this.articlesOf(query.file as string).filter((a) => matchesFilters(a, query));
    const views = await this.reader.views(articles.map((a) => a.id));
    const out: JsonQuote[] = [];
    for (const view of views)
      for (const q of view.quotes)
        out.push(
          toJson(view.meta, {
            quote: view.body.slice(q.start, q.end),
            start: q.start,
            end: q.end,
            speaker: q.speaker,
            cue: q.cue,
          }),
        );
    return query.limit ? out.slice(0, query.limit) : out;
  }

  /** The `about` text as the sentence vectors were made, or null when the index has another model. */
  private async embedAbout(text: string): Promise<Float32Array> {
    this.embedder ??= await loadEmbedder(this.settings);
    if (this.embedder.info.key !== this.reader.manifest.model.key)
      return new Float32Array(this.reader.manifest.model.dimension);
    return (await this.embedder.embedQuery(text)).content;
  }

  async close(): Promise<void> {
    await this.reader.close();
    await this.embedder?.dispose();
  }
}

async function loadEmbedder({ config, log }: Awaited<ReturnType<typeof loadCliSettings>>): Promise<Embedder> {
  const { Embedder } = await import('../embedding/embedder.js');
  return Embedder.load({
    model: config.embeddingModel,
    dtype: config.embeddingDtype,
    cacheDir: config.modelCacheDir,
    onNote: (note) => log.info({ model: config.embeddingModel }, note),
  });
}

function toJson(
  article: ArticleMeta,
  q: Pick<QuoteHit, 'quote' | 'start' | 'end' | 'cue'> & { speaker: string | null },
): JsonQuote {
  return {
    // Relative to CORPUS_DIR, as --file takes it (the record key of a .json/.jsonl source dropped).
    file: article.source.replace(/#.*$/, ''),
    title: article.title,
    outlet: article.outlet,
    date: article.date,
    url: article.url,
    quote: q.quote,
    start: q.start,
    end: q.end,
    speaker: q.speaker,
    cue: q.cue,
  };
}

function toText(results: JsonQuote[]): string {
  if (results.length === 0) return 'No direct quotations found.\n';
  return results
    .map(
      (r) =>
        `“${r.quote}”\n  ${r.speaker ?? '(speaker unknown)'}${r.cue ? `, ${r.cue}` : ''}: ${r.title} (${[r.outlet, r.date].filter(Boolean).join(', ')})  ${r.url ?? r.file}`,
    )
    .join('\n\n')
    .concat('\n');
}

// Last: the class above is initialised only once the module body has run.
runCli(main);
