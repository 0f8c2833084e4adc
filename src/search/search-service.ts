import { stat } from 'node:fs/promises';
import path from 'node:path';
import { leadSentence } from '../digest/lead.js';
import type { StoryFeatures } from '../digest/same-story.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { rankByAnswer } from './answer-rank.js';
import { UNRELATED_PROBES } from './background-questions.js';
import type { Embedder } from './embedder.js';
import type { ArticleRef, Excerpt, SearchOrder, SearchResponse } from './excerpt.js';
import {
  matchesFilters,
  type SearchFilters,
  sameOutlet,
  toVectraFilter,
  validateFilters,
} from './filters.js';
import { RELEVANCE_FLOOR } from './fusion.js';
import { loadSnapshot, type Manifest, type StoredArticle } from './index-store.js';
import { matchedQuestionTerms, profileQuestion } from './question.js';
import { pickQuote, type QuoteChoice, type QuoteInput } from './quote.js';
import { type ArticleTest, missingPart, type RequiredPart, requiredParts } from './required-terms.js';
import { type QueryEvidence, retrieve } from './retrieve.js';
import { SearchIndex } from './search-index.js';
import { dotRow } from './sentence-vectors.js';
import { foldSameStories } from './story-fold.js';
import { analyze, isGeneric, isInformative, wordsMatching } from './terms.js';
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
  /**
   * Near-identical articles as one result with "also in" (default true). Digests group stories
   * themselves, across all of their articles, and ask for every article.
   */
  foldStories?: boolean;
}

/** Hits beyond the page that are still compared for copies of the stories on it. */
const FOLD_MARGIN = 20;

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
    private readonly lexicalOnly: boolean,
  ) {
    this.index = index;
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
  }): Promise<SearchService> {
    const index = await SearchService.loadIndex(options.indexDir, options.embedder);
    const service = new SearchService(
      options.indexDir,
      options.embedder,
      options.log,
      index,
      options.lexicalOnly ?? false,
    );
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
    const holds = articlesHolding(index, query.required);
    // A number of the question must stand near one of its other words, not a generic one ("Oscar", not "best").
    const topical = query.terms.filter((t) => !isGeneric(t));
    const candidates = (
      await retrieve(index, query, allowed, toVectraFilter(filters, canonicalOutlet, articleIds))
    ).filter(
      (hit) =>
        hit.score >= RELEVANCE_FLOOR &&
        !missingPart(query.required, articleTest(index, hit.article, holds), topical),
    );
    const quotes = new Map<number, QuoteChoice>();
    const quoteOf = (article: number) => {
      let quote = quotes.get(article);
      if (!quote) {
        quote = pickQuote(quoteInput(index, article, query, options.quoteSentences));
        quotes.set(article, quote);
      }
      return quote;
    };
    const hits = rankByAnswer(
      candidates,
      (hit) => quoteOf(hit.article),
      (hit) => titleShare(index, hit.article, query),
    );
    if (options.order === 'date') {
      hits.sort(
        (a, b) => compareDatesDesc(index.articles[a.article], index.articles[b.article]) || b.score - a.score,
      );
    }
    const offset = Math.max(0, options.offset ?? 0);
    const stories =
      options.foldStories === false
        ? hits.map((hit) => ({ hit, alsoIn: [] }))
        : foldSameStories(
            hits,
            (hit) => this.storyFeatures(hit.article),
            offset + (options.limit ?? 0) + FOLD_MARGIN,
          );
    const page = stories.slice(offset, options.limit ? offset + options.limit : undefined);
    const results = page.map(({ hit, alsoIn }): Excerpt => {
      const article = index.articles[hit.article] as StoredArticle;
      const quote = quoteOf(hit.article);
      const text = article.body.slice(quote.start, quote.end);
      return {
        ...articleRef(article),
        quote: text,
        start: quote.start,
        end: quote.end,
        score: Math.round(hit.score * 1000) / 1000,
        matchedWords: wordsMatching(
          text,
          new Set(
            quote.matchedTerms.filter((t) => isInformative(t, (u) => index.bm25.idf(u), index.bm25.size)),
          ),
        ),
        alsoIn: alsoIn.map((other) => articleRef(index.articles[other.article] as StoredArticle)),
      };
    });
    return { question: text, results, total: stories.length };
  }

  /**
   * What the same-story rule compares for an answer: title, lead and date, without the articles'
   * meaning. An answer folds only near-identical articles (copies, updated versions); two reports of one
   * event that a model finds alike each hold facts of their own, and a researcher wants both.
   */
  private storyFeatures(articleIndex: number): StoryFeatures {
    // One object per article and index: the rule analyses its words once, not once per question.
    const memo = memoOf(this.index).stories;
    let features = memo.get(articleIndex);
    if (!features) {
      const article = this.index.articles[articleIndex] as StoredArticle;
      const lead = leadSentence(article);
      features = {
        title: article.title,
        lead: article.body.slice(lead.start, lead.end),
        date: article.date,
        vector: null,
      };
      memo.set(articleIndex, features);
    }
    return features;
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
    // A term the archive never uses gets the highest idf; '' is never a term.
    const unseen = this.index.bm25.idf('');
    const profile = profileQuestion(question, (term) => this.index.bm25.idf(term) < unseen);
    const required = requiredParts(question, profile, (t) => this.index.bm25.idf(t), this.index.bm25.size);
    return {
      terms: profile.terms,
      profile,
      required,
      vector,
      content,
      background,
      denseWeight: this.lexicalOnly ? 0 : 1,
    };
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

// Reads of the index for the relevance functions (quote.ts, required-terms.ts, answer-rank.ts,
// story-fold.ts are pure): this is where they meet the store.

/** What is worked out once per article of a loaded index rather than once per question. */
interface IndexMemo {
  titles: Map<number, Set<string>>;
  stories: Map<number, StoryFeatures>;
}

const memos = new WeakMap<SearchIndex, IndexMemo>();

function memoOf(index: SearchIndex): IndexMemo {
  let memo = memos.get(index);
  if (!memo) {
    memo = { titles: new Map(), stories: new Map() };
    memos.set(index, memo);
  }
  return memo;
}

/** The analysed words of an article's title. */
function titleTerms(index: SearchIndex, articleIndex: number): Set<string> {
  const titles = memoOf(index).titles;
  let terms = titles.get(articleIndex);
  if (!terms) {
    terms = new Set(analyze((index.articles[articleIndex] as StoredArticle).title));
    titles.set(articleIndex, terms);
  }
  return terms;
}

/** What the quote picker needs of one article, read from the index. */
function quoteInput(
  index: SearchIndex,
  articleIndex: number,
  query: QueryEvidence,
  maxSentences?: number,
): QuoteInput {
  const article = index.articles[articleIndex] as StoredArticle;
  return {
    body: article.body,
    sentences: article.sentences,
    termsOf: (s) => index.sentenceTerms[article.sentenceRow + s] ?? [],
    similarity: (s) =>
      query.denseWeight * dotRow(index.sentenceVectors, article.sentenceRow + s, query.content),
    idf: (term) => index.bm25.idf(term),
    question: query.profile,
    titleTerms: titleTerms(index, articleIndex),
    maxSentences,
  };
}

/**
 * Which articles hold each term of the question's required parts (in their text or title), read once
 * per question from the lexical index.
 */
function articlesHolding(
  index: SearchIndex,
  parts: readonly RequiredPart[],
): (term: string, article: number) => boolean {
  const terms = new Set(parts.flatMap((p) => [p.term, ...(p.kind === 'name' ? p.spellings.flat() : [])]));
  const holding = new Map([...terms].map((term) => [term, articlesWith(index, term)]));
  return (term, article) => holding.get(term)?.has(article) || titleTerms(index, article).has(term);
}

/** What the required-parts check reads of one article. */
function articleTest(
  index: SearchIndex,
  articleIndex: number,
  holds: (term: string, article: number) => boolean,
): ArticleTest {
  return {
    holds: (term) => holds(term, articleIndex),
    nearWords: (term, others) => sentenceHolds(index, articleIndex, term, others),
  };
}

/** The articles whose text uses a term, from the lexical index. */
function articlesWith(index: SearchIndex, term: string): Set<number> {
  const articles = new Set<number>();
  for (const passage of index.bm25.score([term]).scores.keys())
    articles.add((index.passages[passage] as { article: number }).article);
  return articles;
}

/** Whether a sentence of the article holds `term` with one of `others` in it or a neighbouring sentence. */
function sentenceHolds(
  index: SearchIndex,
  articleIndex: number,
  term: string,
  others: ReadonlySet<string>,
): boolean {
  const article = index.articles[articleIndex] as StoredArticle;
  const count = article.sentences.length / 2;
  const termsOf = (s: number) => index.sentenceTerms[article.sentenceRow + s] ?? [];
  for (let s = 0; s < count; s++) {
    if (!termsOf(s).includes(term)) continue;
    for (let n = Math.max(0, s - 1); n <= Math.min(count - 1, s + 1); n++)
      if (termsOf(n).some((t) => others.has(t))) return true;
  }
  return false;
}

/** The share of the question's words (weighted by rarity) in the article's title. */
function titleShare(index: SearchIndex, articleIndex: number, query: QueryEvidence): number {
  const title = matchedQuestionTerms(titleTerms(index, articleIndex), query.profile);
  let total = 0;
  let found = 0;
  for (const t of query.profile.terms) {
    const idf = index.bm25.idf(t);
    total += idf;
    if (title.includes(t)) found += idf;
  }
  return total > 0 ? found / total : 0;
}

function articleRef(article: StoredArticle): ArticleRef {
  return {
    articleId: article.id,
    source: article.source,
    title: article.title,
    outlet: article.outlet,
    date: article.date,
    url: article.url,
  };
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
