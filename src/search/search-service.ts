import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../embedding/embedder.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ArchiveReader } from '../store/archive.js';
import type { ArticleMeta, ArticleView } from '../store/article-view.js';
import type { NearestFilter } from '../store/backend.js';
import { MANIFEST_FILE, type Manifest, readManifest } from '../store/manifest.js';
import { at } from '../util/checked.js';
import { normalize } from '../vectors/vectors.js';
import { UNRELATED_PROBES } from './background-questions.js';
import type { SearchOrder, SearchResponse } from './excerpt.js';
import { dayNumber, matchesFilters, type SearchFilters, validateFilters } from './filters.js';
import { matchOutlet, type OutletMatch, outletProblem } from './outlet-match.js';
import { loadRelevanceParams } from './params-store.js';
import { answerPipeline, type ScoredArticle } from './pipeline/answer-pipeline.js';
import type { RelevanceParams } from './pipeline/params.js';
import { ArticleLeftOutError, ArticleReads } from './pipeline/reads.js';
import { understand } from './pipeline/understand.js';

export const MAX_QUESTION_CHARS = 500;

/** Past this many passages, vectra (every vector in memory, exact scans) should hand over to LanceDB. */
export const VECTRA_HANDOVER_PASSAGES = 100_000;

export interface SearchOptions extends SearchFilters {
  /** Results per page (default: all that clear the floor). */
  limit?: number;
  /** Results to skip, for paging. */
  offset?: number;
  order?: SearchOrder;
  /** Only these articles (digests search among the articles new since their last run). */
  articleIds?: ReadonlySet<string>;
  /** Longest quote in sentences (default 3; digests show one). */
  quoteSentences?: number;
  /**
   * Near-identical articles as one result with "also in" (default true). Digests group stories
   * themselves, across all of their articles, and ask for every article.
   */
  foldStories?: boolean;
}

/** The index was built with another model: its vectors cannot be compared with this model's. */
export class IndexModelMismatchError extends UserFacingError {}
/** There is no index yet. */
export class NoIndexError extends UserFacingError {}

/**
 * Keeps the index open for the answer pipeline (pipeline/answer-pipeline.ts): opens it, checks it was
 * built with the configured model, and picks up a new manifest written by an ingest. Keeps the index open
 * (metadata in memory, text and vectors read per question) and picks up a new manifest written by an
 * ingest (in this process or another) before the next question, reusing the segments that did not change.
 */
export class SearchService {
  private archive: ArchiveReader;
  private manifestMtime = 0;
  private background: Float32Array[] = [];
  private outlets = new Map<string, string>();

  private constructor(
    private readonly indexDir: string,
    private readonly embedder: Embedder,
    private readonly log: Logger,
    archive: ArchiveReader,
    private readonly lexicalOnly: boolean,
    private readonly handoverPassages: number,
    /** The answer pipeline's parameters (see pipeline/params.ts). */
    readonly params: RelevanceParams,
  ) {
    this.archive = archive;
    this.outlets = outletIndex(archive.articles);
  }

  /**
   * Opens the index in `indexDir`. `lexicalOnly` (for measuring what the model adds) leaves out
   * similarity of meaning: words alone find articles and pick quotes.
   */
  static async open(options: {
    indexDir: string;
    embedder: Embedder;
    log: Logger;
    lexicalOnly?: boolean;
    /** Passages past which a vectra index logs that LanceDB would serve it better (tests lower it). */
    handoverPassages?: number;
    /** The pipeline's parameters (default: those committed for the model, see params-store.ts). */
    params?: RelevanceParams;
    /** A parameters file to use instead (RELEVANCE_PARAMS). */
    paramsFile?: string | null;
  }): Promise<SearchService> {
    const mtime = await manifestMtime(options.indexDir);
    const archive = await SearchService.openArchive(options.indexDir, options.embedder, options.log);
    const service = new SearchService(
      options.indexDir,
      options.embedder,
      options.log,
      archive,
      options.lexicalOnly ?? false,
      options.handoverPassages ?? VECTRA_HANDOVER_PASSAGES,
      options.params ??
        (await loadRelevanceParams({
          modelName: options.embedder.info.name,
          lexicalOnly: options.lexicalOnly,
          file: options.paramsFile,
          log: options.log,
        })),
    );
    service.background = await options.embedder.embedTexts(UNRELATED_PROBES);
    service.manifestMtime = mtime;
    service.warnIfOutgrown();
    return service;
  }

  private static async openArchive(
    indexDir: string,
    embedder: Embedder,
    log: Logger,
    previous?: ArchiveReader,
  ): Promise<ArchiveReader> {
    const read = await readManifest(indexDir);
    if (read.kind !== 'ok')
      throw new NoIndexError(`There is no index in ${indexDir} yet: run \`npm run ingest\` first.`);
    const built = read.manifest.model;
    if (built.key !== embedder.info.key) {
      throw new IndexModelMismatchError(
        `The index in ${indexDir} was built with ${built.name} (${built.dtype}, ${built.dimension} dimensions), ` +
          `but EMBEDDING_MODEL is ${embedder.info.name} (${embedder.info.dtype}, ${embedder.info.dimension}). ` +
          'Run `npm run ingest` to rebuild the index with the configured model.',
      );
    }
    const archive = await ArchiveReader.openManifest(indexDir, read.manifest, previous);
    archive.onDamaged = (error) =>
      log.error(
        { err: error },
        'an article failed its checksum and was left out: run `npm run ingest` or /reindex',
      );
    return archive;
  }

  get manifest(): Manifest {
    return this.archive.manifest;
  }

  /** Every article in the archive (metadata; text through `views`), sorted by source. */
  get articles(): readonly ArticleMeta[] {
    return this.archive.articles;
  }

  /** Articles with their text and sentences, in the order asked (unknown ids left out). */
  views(articleIds: string[]): Promise<ArticleView[]> {
    return this.archive.views(articleIds);
  }

  /** Loads the current manifest if an ingest has replaced the one in use. */
  async refresh(): Promise<boolean> {
    const mtime = await manifestMtime(this.indexDir);
    if (mtime === this.manifestMtime) return false;
    const previous = this.archive;
    const archive = await SearchService.openArchive(this.indexDir, this.embedder, this.log, previous);
    const changed = archive.manifest.sequence !== previous.manifest.sequence;
    this.archive = archive;
    this.outlets = outletIndex(archive.articles);
    this.manifestMtime = mtime;
    await archive.closeUnused(previous);
    if (changed) {
      this.log.info(
        { sequence: archive.manifest.sequence, articles: archive.articles.length },
        'index reloaded',
      );
      this.warnIfOutgrown();
    }
    return changed;
  }

  async close(): Promise<void> {
    await this.archive.close();
  }

  async search(question: string, options: SearchOptions = {}): Promise<SearchResponse> {
    // An article whose stored text fails its checksum is left out of the archive when first read: the
    // question is searched again without it (never answered from damaged text).
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.searchOnce(question, options);
      } catch (error) {
        if (!(error instanceof ArticleLeftOutError) || attempt >= 5) throw error;
      }
    }
  }

  private async searchOnce(question: string, options: SearchOptions): Promise<SearchResponse> {
    const { results, total } = await this.run(question, options);
    return { question: checkQuestion(question), results, total };
  }

  /**
   * The answer pipeline with every candidate it scored (for `npm run calibrate` and the benches): what
   * the search would show, and why.
   */
  async explain(
    question: string,
    options: SearchOptions = {},
  ): Promise<SearchResponse & { scored: ScoredArticle[]; reads: ArticleReads }> {
    const run = await this.run(question, { ...options, explain: true });
    return { question: checkQuestion(question), ...run };
  }

  private async run(question: string, options: SearchOptions & { explain?: boolean }) {
    const text = checkQuestion(question);
    validateFilters(options);
    await this.refresh();
    const archive = this.archive;
    const canonicalOutlet = options.outlet ? this.canonicalOutlet(options.outlet) : null;
    if (options.outlet && !canonicalOutlet) {
      const problem = outletProblem(options.outlet, this.resolveOutlet(options.outlet));
      throw new UserFacingError(
        problem ?? `No article in the archive is from the outlet "${options.outlet}".`,
      );
    }
    const filters = { ...options, outlet: canonicalOutlet ?? null };
    const { articleIds } = options;
    const reads = new ArticleReads(archive);
    if (articleIds?.size === 0) return { results: [], total: 0, scored: [], reads };
    const { query, idf } = await understand(
      text,
      await this.embedder.embedQuery(text),
      this.background,
      archive,
      this.lexicalOnly,
    );
    const nearestFilter: NearestFilter = {
      outlet: canonicalOutlet,
      sinceDay: filters.since ? dayNumber(filters.since) : null,
      untilDay: filters.until ? dayNumber(filters.until) : null,
      articleIds: articleIds ?? null,
    };
    const run = await answerPipeline({
      archive,
      reads,
      query,
      idf,
      params: this.params,
      allowed: (article) => matchesFilters(article, filters) && (!articleIds || articleIds.has(article.id)),
      nearestFilter,
      options,
    });
    return { ...run, reads };
  }

  /** A topic as sentence vectors are compared with it (a question's content vector); zeros when lexical only. */
  async embedTopic(text: string): Promise<Float32Array> {
    if (this.lexicalOnly) return new Float32Array(this.archive.manifest.model.dimension);
    return (await this.embedder.embedQuery(text)).content;
  }

  /** An article's meaning as one vector: the normalised mean of its passage vectors (null if unknown). */
  async articleVector(articleId: string): Promise<Float32Array | null> {
    const meta = this.archive.get(articleId);
    if (!meta) return null;
    const refs = Array.from({ length: meta.passageCount }, (_, passage) => ({ articleId, passage }));
    const sum = new Float32Array(this.archive.manifest.model.dimension);
    for (const vector of await this.archive.passageVectors(refs)) {
      if (!vector) continue;
      // A stored vector of another length than the manifest's dimension fails here rather than adding NaN.
      for (let i = 0; i < sum.length; i++) sum[i] = at(sum, i) + at(vector, i);
    }
    return normalize(sum);
  }

  /**
   * The outlet as the archive spells it: the same name in any case, else the one outlet that holds the typed
   * words as whole words (`BBC` for "BBC News"); null otherwise (see `resolveOutlet` for why).
   */
  canonicalOutlet(outlet: string): string | null {
    const exact = this.outlets.get(outletKey(outlet));
    if (exact) return exact;
    const match = this.resolveOutlet(outlet);
    return match.kind === 'one' ? match.outlet : null;
  }

  /** Which outlet a typed name means, the outlets it could mean, or the closest ones. */
  resolveOutlet(outlet: string): OutletMatch {
    return matchOutlet(outlet, this.outlets.values());
  }

  private warnIfOutgrown(): void {
    const { backend, counts } = this.archive.manifest;
    if (backend === 'vectra' && counts.passages > this.handoverPassages) {
      this.log.warn(
        { articles: counts.articles, passages: counts.passages },
        `${counts.articles} articles / ${counts.passages} passages: past ${this.handoverPassages} passages vectra holds every vector in memory and scans them all; consider INDEX_BACKEND=lancedb`,
      );
    }
  }
}

/** The question, trimmed, or a message saying how to ask. */
export function checkQuestion(question: string): string {
  const text = question.replace(/\s+/g, ' ').trim();
  if (text === '')
    throw new UserFacingError(
      'Ask a question, for example: "What did Wang Huning say about paired-up assistance?"',
    );
  if (text.length > MAX_QUESTION_CHARS) {
    throw new UserFacingError(
      `That question is ${text.length} characters long; keep it under ${MAX_QUESTION_CHARS}. A short question with the names, places or terms you care about works best.`,
    );
  }
  return text;
}

function outletKey(outlet: string): string {
  return outlet.trim().toLocaleLowerCase('en');
}

function outletIndex(articles: readonly ArticleMeta[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const a of articles)
    if (a.outlet && !index.has(outletKey(a.outlet))) index.set(outletKey(a.outlet), a.outlet);
  return index;
}

async function manifestMtime(indexDir: string): Promise<number> {
  try {
    return (await stat(path.join(indexDir, MANIFEST_FILE))).mtimeMs;
  } catch {
    return 0;
  }
}
