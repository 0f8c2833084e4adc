import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { UNRELATED_PROBES } from './background-questions.js';
import type { Embedder } from './embedder.js';
import type { Excerpt, SearchOrder, SearchResponse } from './excerpt.js';
import {
  matchesFilters,
  type SearchFilters,
  sameOutlet,
  toVectraFilter,
  validateFilters,
} from './filters.js';
import { RELEVANCE_FLOOR } from './fusion.js';
import { loadSnapshot, type Manifest, type StoredArticle } from './index-store.js';
import { pickQuote } from './quote.js';
import { type QueryEvidence, retrieve } from './retrieve.js';
import { SearchIndex } from './search-index.js';
import { analyze, wordsMatching } from './terms.js';
import { dot, normalize } from './vectors.js';

export const MAX_QUESTION_CHARS = 500;

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
 * and no result at all when nothing clears the relevance floor. Picks up a new index generation written
 * by an ingest (in this process or another) before the next question.
 */
export class SearchService {
  private index: SearchIndex;
  private manifestMtime = 0;
  private background: Float32Array[] = [];

  private constructor(
    private readonly indexDir: string,
    private readonly embedder: Embedder,
    private readonly log: Logger,
    index: SearchIndex,
  ) {
    this.index = index;
  }

  static async open(options: { indexDir: string; embedder: Embedder; log: Logger }): Promise<SearchService> {
    const index = await SearchService.loadIndex(options.indexDir, options.embedder);
    const service = new SearchService(options.indexDir, options.embedder, options.log, index);
    service.background = await options.embedder.embedTexts(UNRELATED_PROBES);
    service.manifestMtime = await manifestMtime(options.indexDir);
    return service;
  }

  private static async loadIndex(indexDir: string, embedder: Embedder): Promise<SearchIndex> {
    const snapshot = await loadSnapshot(indexDir);
    if (!snapshot)
      throw new NoIndexError(`There is no index in ${indexDir} yet: run \`npm run ingest\` first.`);
    const built = snapshot.manifest.model;
    if (built.key !== embedder.info.key) {
      throw new IndexModelMismatchError(
        `The index in ${indexDir} was built with ${built.name} (${built.dtype}, ${built.dimension} dimensions), ` +
          `but EMBEDDING_MODEL is ${embedder.info.name} (${embedder.info.dtype}, ${embedder.info.dimension}). ` +
          'Run `npm run ingest` to rebuild the index with the configured model.',
      );
    }
    return SearchIndex.build(snapshot);
  }

  get manifest(): Manifest {
    return this.index.manifest;
  }

  get articles(): readonly StoredArticle[] {
    return this.index.articles;
  }

  /** Loads the current generation if an ingest has replaced the one in memory. */
  async refresh(): Promise<boolean> {
    const mtime = await manifestMtime(this.indexDir);
    if (mtime === this.manifestMtime) return false;
    const index = await SearchService.loadIndex(this.indexDir, this.embedder);
    const changed = index.manifest.generation !== this.index.manifest.generation;
    this.index = index;
    this.manifestMtime = mtime;
    if (changed) this.log.info({ generation: index.manifest.generation }, 'index reloaded');
    return changed;
  }

  async search(question: string, options: SearchOptions = {}): Promise<SearchResponse> {
    const text = checkQuestion(question);
    validateFilters(options);
    await this.refresh();
    const index = this.index;
    const canonicalOutlet = options.outlet ? this.canonicalOutlet(options.outlet) : null;
    if (options.outlet && !canonicalOutlet) {
      throw new UserFacingError(`No article in the archive is from the outlet "${options.outlet}".`);
    }
    const filters = { ...options, outlet: canonicalOutlet ?? null };
    const query = await this.evidence(text);
    const { articleIds } = options;
    const allowed = (a: number) => {
      const article = index.articles[a] as StoredArticle;
      return matchesFilters(article, filters) && (!articleIds || articleIds.has(article.id));
    };
    if (articleIds?.size === 0) return { question: text, results: [], total: 0 };
    const hits = (
      await retrieve(index, query, allowed, toVectraFilter(filters, canonicalOutlet, articleIds))
    ).filter((hit) => hit.score >= RELEVANCE_FLOOR);
    if (options.order === 'date') {
      hits.sort(
        (a, b) => compareDatesDesc(index.articles[a.article], index.articles[b.article]) || b.score - a.score,
      );
    }
    const offset = Math.max(0, options.offset ?? 0);
    const page = hits.slice(offset, options.limit ? offset + options.limit : undefined);
    const results = page.map((hit): Excerpt => {
      const article = index.articles[hit.article] as StoredArticle;
      const quote = pickQuote(index, hit.article, query, options.quoteSentences);
      const text = article.body.slice(quote.start, quote.end);
      return {
        articleId: article.id,
        source: article.source,
        title: article.title,
        outlet: article.outlet,
        date: article.date,
        url: article.url,
        quote: text,
        start: quote.start,
        end: quote.end,
        score: Math.round(hit.score * 1000) / 1000,
        matchedWords: wordsMatching(text, new Set(quote.matchedTerms)),
      };
    });
    return { question: text, results, total: hits.length };
  }

  /** An article's meaning as one vector: the normalised mean of its passage vectors (null if unknown). */
  articleVector(articleId: string): Float32Array | null {
    const article = this.index.articles.find((a) => a.id === articleId);
    if (!article) return null;
    const sum = new Float32Array(this.index.manifest.model.dimension);
    for (let p = 0; p < article.passages.length / 2; p++) {
      const vector = this.index.vectorByItem.get(`${article.id}:${p}`) ?? [];
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (vector[i] ?? 0);
    }
    return normalize(sum);
  }

  /** The outlet as the archive spells it, or null when no article has it. */
  canonicalOutlet(outlet: string): string | null {
    return this.index.articles.find((a) => a.outlet && sameOutlet(a.outlet, outlet))?.outlet ?? null;
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

function compareDatesDesc(a: StoredArticle | undefined, b: StoredArticle | undefined): number {
  const da = a?.date ?? '';
  const db = b?.date ?? '';
  return da === db ? 0 : da < db ? 1 : -1;
}

async function manifestMtime(indexDir: string): Promise<number> {
  try {
    return (await stat(path.join(indexDir, 'manifest.json'))).mtimeMs;
  } catch {
    return 0;
  }
}
