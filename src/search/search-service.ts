import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ArchiveReader } from '../store/archive.js';
import type { ArticleMeta, ArticleView } from '../store/article-view.js';
import type { NearestFilter } from '../store/backend.js';
import { MANIFEST_FILE, type Manifest, readManifest } from '../store/manifest.js';
import { UNRELATED_PROBES } from './background-questions.js';
import type { Embedder } from './embedder.js';
import type { Excerpt, SearchOrder, SearchResponse } from './excerpt.js';
import { dayNumber, matchesFilters, type SearchFilters, validateFilters } from './filters.js';
import { RELEVANCE_FLOOR } from './fusion.js';
import { pickQuote } from './quote.js';
import { type QueryEvidence, retrieve } from './retrieve.js';
import { analyze, wordsMatching } from './terms.js';
import { dot, normalize } from './vectors.js';

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
}

/** The index was built with another model: its vectors cannot be compared with this model's. */
export class IndexModelMismatchError extends UserFacingError {}
/** There is no index yet. */
export class NoIndexError extends UserFacingError {}

/**
 * Answers questions from the index: hybrid retrieval, one result per article, a verbatim quote each,
 * and no result at all when nothing clears the relevance floor. Keeps the index open (metadata in memory,
 * text and vectors read per question) and picks up a new manifest written by an ingest (in this process
 * or another) before the next question, reusing the segments that did not change.
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
  ) {
    this.archive = archive;
    this.outlets = outletIndex(archive.articles);
  }

  static async open(options: { indexDir: string; embedder: Embedder; log: Logger }): Promise<SearchService> {
    const mtime = await manifestMtime(options.indexDir);
    const archive = await SearchService.openArchive(options.indexDir, options.embedder);
    const service = new SearchService(options.indexDir, options.embedder, options.log, archive);
    service.background = await options.embedder.embedTexts(UNRELATED_PROBES);
    service.manifestMtime = mtime;
    service.warnIfOutgrown();
    return service;
  }

  private static async openArchive(
    indexDir: string,
    embedder: Embedder,
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
    return ArchiveReader.openManifest(indexDir, read.manifest, previous);
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
    const archive = await SearchService.openArchive(this.indexDir, this.embedder, previous);
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
    const text = checkQuestion(question);
    validateFilters(options);
    await this.refresh();
    const archive = this.archive;
    const canonicalOutlet = options.outlet ? this.canonicalOutlet(options.outlet) : null;
    if (options.outlet && !canonicalOutlet) {
      throw new UserFacingError(`No article in the archive is from the outlet "${options.outlet}".`);
    }
    const filters = { ...options, outlet: canonicalOutlet ?? null };
    const { articleIds } = options;
    if (articleIds?.size === 0) return { question: text, results: [], total: 0 };
    const query = await this.evidence(text);
    const allowed = (article: ArticleMeta) =>
      matchesFilters(article, filters) && (!articleIds || articleIds.has(article.id));
    const nearestFilter: NearestFilter = {
      outlet: canonicalOutlet,
      sinceDay: filters.since ? dayNumber(filters.since) : null,
      untilDay: filters.until ? dayNumber(filters.until) : null,
      articleIds: articleIds ?? null,
    };
    const { hits: all, idf } = await retrieve(archive, query, allowed, nearestFilter);
    const hits = all.filter((hit) => hit.score >= RELEVANCE_FLOOR);
    if (options.order === 'date') {
      hits.sort(
        (a, b) => compareDatesDesc(archive.get(a.articleId), archive.get(b.articleId)) || b.score - a.score,
      );
    }
    const offset = Math.max(0, options.offset ?? 0);
    const page = hits.slice(offset, options.limit ? offset + options.limit : undefined);
    const views = new Map((await archive.views(page.map((h) => h.articleId))).map((v) => [v.id, v]));
    const results = page.flatMap((hit): Excerpt[] => {
      const view = views.get(hit.articleId);
      if (!view) return [];
      const quote = pickQuote(view, query, idf, options.quoteSentences);
      const quoted = view.body.slice(quote.start, quote.end);
      const { meta } = view;
      return [
        {
          articleId: meta.id,
          source: meta.source,
          title: meta.title,
          outlet: meta.outlet,
          date: meta.date,
          url: meta.url,
          quote: quoted,
          start: quote.start,
          end: quote.end,
          score: Math.round(hit.score * 1000) / 1000,
          matchedWords: wordsMatching(quoted, new Set(quote.matchedTerms)),
        },
      ];
    });
    return { question: text, results, total: hits.length };
  }

  /** An article's meaning as one vector: the normalised mean of its passage vectors (null if unknown). */
  async articleVector(articleId: string): Promise<Float32Array | null> {
    const meta = this.archive.get(articleId);
    if (!meta) return null;
    const refs = Array.from({ length: meta.passageCount }, (_, passage) => ({ articleId, passage }));
    const sum = new Float32Array(this.archive.manifest.model.dimension);
    for (const vector of await this.archive.passageVectors(refs)) {
      if (!vector) continue;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (vector[i] as number);
    }
    return normalize(sum);
  }

  /** The outlet as the archive spells it, or null when no article has it. */
  canonicalOutlet(outlet: string): string | null {
    return this.outlets.get(outletKey(outlet)) ?? null;
  }

  private warnIfOutgrown(): void {
    const { backend, counts } = this.archive.manifest;
    if (backend === 'vectra' && counts.passages > VECTRA_HANDOVER_PASSAGES) {
      this.log.warn(
        { articles: counts.articles, passages: counts.passages },
        `${counts.articles} articles / ${counts.passages} passages: past ${VECTRA_HANDOVER_PASSAGES} passages vectra holds every vector in memory and scans them all; consider INDEX_BACKEND=lancedb`,
      );
    }
  }

  private async evidence(question: string): Promise<QueryEvidence> {
    const { vector, content } = await this.embedder.embedQuery(question);
    const similarities = this.background.map((b) => dot(vector, b)).sort((a, b) => b - a);
    // Mean of the two closest unrelated questions: one probe that happens to be on the archive's topic
    // cannot raise the bar alone.
    const background = ((similarities[0] ?? 0) + (similarities[1] ?? similarities[0] ?? 0)) / 2;
    return { terms: [...new Set(analyze(question))], vector, content, background };
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

function compareDatesDesc(a: ArticleMeta | undefined, b: ArticleMeta | undefined): number {
  const da = a?.date ?? '';
  const db = b?.date ?? '';
  return da === db ? 0 : da < db ? 1 : -1;
}

async function manifestMtime(indexDir: string): Promise<number> {
  try {
    return (await stat(path.join(indexDir, MANIFEST_FILE))).mtimeMs;
  } catch {
    return 0;
  }
}
