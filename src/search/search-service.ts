import { stat } from 'node:fs/promises';
import path from 'node:path';
import { leadSentence } from '../digest/lead.js';
import type { StoryFeatures } from '../digest/same-story.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ArchiveReader } from '../store/archive.js';
import type { ArticleMeta, ArticleView } from '../store/article-view.js';
import type { NearestFilter } from '../store/backend.js';
import { MANIFEST_FILE, type Manifest, readManifest } from '../store/manifest.js';
import { rankByAnswer } from './answer-rank.js';
import { UNRELATED_PROBES } from './background-questions.js';
import type { Embedder } from './embedder.js';
import type { ArticleRef, Excerpt, SearchOrder, SearchResponse } from './excerpt.js';
import { dayNumber, matchesFilters, type SearchFilters, validateFilters } from './filters.js';
import { RELEVANCE_FLOOR } from './fusion.js';
import { pickQuoteOnOnePage } from './page-quote.js';
import { matchedQuestionTerms, profileQuestion } from './question.js';
import type { QuoteChoice, QuoteInput } from './quote.js';
import { type ArticleTest, missingPart, requiredParts } from './required-terms.js';
import { type ArticleHit, type QueryEvidence, retrieve } from './retrieve.js';
import { foldSameStories } from './story-fold.js';
import { analyze, isGeneric, isInformative, wordsMatching } from './terms.js';
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
 * Answers questions from the index: hybrid retrieval, one result per article (near-identical articles
 * folded into one story), a verbatim quote each, and no result at all when nothing clears the relevance
 * floor or every candidate lacks a part of the question that names its event. Keeps the index open
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
    const { query, idf } = await this.evidence(text, archive);
    const allowed = (article: ArticleMeta) =>
      matchesFilters(article, filters) && (!articleIds || articleIds.has(article.id));
    const nearestFilter: NearestFilter = {
      outlet: canonicalOutlet,
      sinceDay: filters.since ? dayNumber(filters.since) : null,
      untilDay: filters.until ? dayNumber(filters.until) : null,
      articleIds: articleIds ?? null,
    };
    const { hits: retrieved } = await retrieve(archive, query, allowed, nearestFilter);
    const reads = new ArticleReads(archive);
    const candidates = await this.answering(
      retrieved.filter((hit) => hit.score >= RELEVANCE_FLOOR),
      query,
      reads,
    );

    const size = archive.lexical.liveDocs;
    const quotes = new Map<string, QuoteChoice>();
    const quoteOf = (hit: ArticleHit) => {
      let quote = quotes.get(hit.articleId);
      if (!quote) {
        const view = reads.view(hit.articleId);
        quote = pickQuoteOnOnePage(
          quoteInput(archive, view, query, (t) => idfOf(idf, t, size), options.quoteSentences),
          (s) => view.pagesOf(view.sentence(s)),
        );
        quotes.set(hit.articleId, quote);
      }
      return quote;
    };
    await reads.load(candidates.slice(0, ANSWER_RANK_DEPTH).map((h) => h.articleId));
    const hits = rankByAnswer(candidates, quoteOf, (hit) => titleShare(archive, hit.articleId, query, idf));
    if (options.order === 'date') {
      hits.sort(
        (a, b) => compareDatesDesc(archive.get(a.articleId), archive.get(b.articleId)) || b.score - a.score,
      );
    }
    const offset = Math.max(0, options.offset ?? 0);
    const depth = offset + (options.limit ?? 0) + FOLD_MARGIN;
    let stories: Array<{ hit: ArticleHit; alsoIn: ArticleHit[] }>;
    if (options.foldStories === false) stories = hits.map((hit) => ({ hit, alsoIn: [] }));
    else {
      await reads.load(hits.slice(0, depth).map((h) => h.articleId));
      stories = foldSameStories(hits, (hit) => storyFeatures(archive, reads.view(hit.articleId)), depth);
    }
    const page = stories.slice(offset, options.limit ? offset + options.limit : undefined);
    await reads.load(page.map((s) => s.hit.articleId));
    const results = page.map(({ hit, alsoIn }): Excerpt => {
      const view = reads.view(hit.articleId);
      const quote = quoteOf(hit);
      const quoted = view.body.slice(quote.start, quote.end);
      return {
        ...articleRef(view.meta),
        quote: quoted,
        start: quote.start,
        end: quote.end,
        pages: view.pagesOf(quote),
        score: Math.round(hit.score * 1000) / 1000,
        matchedWords: wordsMatching(
          quoted,
          new Set(quote.matchedTerms.filter((t) => isInformative(t, (u) => idfOf(idf, u, size), size))),
        ),
        alsoIn: alsoIn.flatMap((other) => {
          const meta = archive.get(other.articleId);
          return meta ? [articleRef(meta)] : [];
        }),
      };
    });
    return { question: text, results, total: stories.length };
  }

  /**
   * The hits whose article holds every part of the question that names its event (its numbers near its
   * other words, its rare names): an article sharing a name with the question but not the year or figure
   * asked about does not answer it.
   */
  private async answering(
    hits: ArticleHit[],
    query: QueryEvidence,
    reads: ArticleReads,
  ): Promise<ArticleHit[]> {
    if (query.required.length === 0) return hits;
    const archive = reads.archive;
    const terms = new Set(
      query.required.flatMap((p) =>
        p.kind === 'name' ? [p.term, ...p.spellings.flat()] : p.kind === 'numbered name' ? p.terms : [p.term],
      ),
    );
    const holding = new Map(
      await Promise.all(
        [...terms].map(async (term) => [term, await archive.lexical.articlesWith(term)] as const),
      ),
    );
    const holds = (term: string, articleId: string) =>
      holding.get(term)?.has(articleId) === true || titleTermsOf(archive, articleId).has(term);
    // A number must also stand near the question's other words: that reads the article's sentences.
    const numbers = query.required.filter((p) => p.kind === 'number').map((p) => p.term);
    // So must a name and its number ("PlayStation 4") stand together.
    const numbered = query.required.flatMap((p) => (p.kind === 'numbered name' ? [p.terms] : []));
    const toRead = hits.filter(
      (h) =>
        numbers.some((n) => holds(n, h.articleId)) ||
        numbered.some((terms) => terms.every((t) => holds(t, h.articleId))),
    );
    if (toRead.length > 0) await reads.load(toRead.map((h) => h.articleId));
    // A number of the question must stand near one of its other words, not a generic one ("Oscar", not "best").
    const topical = query.terms.filter((t) => !isGeneric(t));
    return hits.filter((hit) => {
      const test: ArticleTest = {
        holds: (term) => holds(term, hit.articleId),
        nearWords: (term, others) => sentenceHolds(archive, reads.view(hit.articleId), term, others),
        inRow: (terms) => holdsInRow(archive, reads.view(hit.articleId), terms),
      };
      return !missingPart(query.required, test, topical);
    });
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
    if (backend === 'vectra' && counts.passages > this.handoverPassages) {
      this.log.warn(
        { articles: counts.articles, passages: counts.passages },
        `${counts.articles} articles / ${counts.passages} passages: past ${this.handoverPassages} passages vectra holds every vector in memory and scans them all; consider INDEX_BACKEND=lancedb`,
      );
    }
  }

  private async evidence(
    question: string,
    archive: ArchiveReader,
  ): Promise<{ query: QueryEvidence; idf: Map<string, number> }> {
    const { vector, content } = await this.embedder.embedQuery(question);
    const similarities = this.background.map((b) => dot(vector, b)).sort((a, b) => b - a);
    // Mean of the two closest unrelated questions: one probe that happens to be on the archive's topic
    // cannot raise the bar alone.
    const background = ((similarities[0] ?? 0) + (similarities[1] ?? similarities[0] ?? 0)) / 2;
    const profile = profileQuestion(question, (term) => archive.lexical.knows(term));
    // Every term the relevance functions weigh is the question's own or another spelling of it.
    const idf = await archive.lexical.idf([
      ...profile.terms,
      ...profile.spellings.flatMap((s) => [...s.from, ...s.to]),
    ]);
    const size = archive.lexical.liveDocs;
    const required = requiredParts(question, profile, (t) => idfOf(idf, t, size), size);
    return {
      query: {
        terms: profile.terms,
        profile,
        required,
        vector,
        content,
        background,
        denseWeight: this.lexicalOnly ? 0 : 1,
      },
      idf,
    };
  }
}

/** How many of the best articles are re-read for their quotes (see answer-rank.ts). */
const ANSWER_RANK_DEPTH = 10;

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

// Reads of the index for the relevance functions (quote.ts, required-terms.ts, answer-rank.ts and
// story-fold.ts are pure): this is where they meet the store.

/** An article of the question's candidates failed its checksum when read (see `search`). */
class ArticleLeftOutError extends Error {}

/** The articles a question reads (text and sentence vectors), each read once per question. */
class ArticleReads {
  private readonly views = new Map<string, ArticleView>();

  constructor(readonly archive: ArchiveReader) {}

  async load(articleIds: string[]): Promise<void> {
    const missing = [...new Set(articleIds)].filter((id) => !this.views.has(id));
    for (const view of await this.archive.views(missing)) this.views.set(view.id, view);
  }

  view(articleId: string): ArticleView {
    const view = this.views.get(articleId);
    if (!view && this.archive.isLeftOut(articleId)) throw new ArticleLeftOutError(articleId);
    if (!view) throw new Error(`article ${articleId} was not read before use`);
    return view;
  }
}

/** What is worked out once per article of an open index rather than once per question. */
interface ArchiveMemo {
  titles: Map<string, Set<string>>;
  stories: Map<string, StoryFeatures>;
  sentences: Map<string, string[][]>;
}

const memos = new WeakMap<ArchiveReader, ArchiveMemo>();
/** Memo entries kept per kind before the oldest go (a question touches a few dozen articles). */
const MEMO_LIMIT = 5000;
/** Articles whose sentence words are kept (a few kB each). */
const SENTENCE_MEMO_LIMIT = 2000;

function memoOf(archive: ArchiveReader): ArchiveMemo {
  let memo = memos.get(archive);
  if (!memo) {
    memo = { titles: new Map(), stories: new Map(), sentences: new Map() };
    memos.set(archive, memo);
  }
  return memo;
}

function remember<K, V>(map: Map<K, V>, key: K, make: () => V, limit = MEMO_LIMIT): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= limit) map.delete(map.keys().next().value as K);
    map.set(key, value);
  }
  return value;
}

/** The analysed words of an article's title. */
function titleTermsOf(archive: ArchiveReader, articleId: string): Set<string> {
  return remember(
    memoOf(archive).titles,
    articleId,
    () => new Set(analyze(archive.get(articleId)?.title ?? '')),
  );
}

/**
 * The analysed words of each sentence of an article. They do not depend on the question, and analysing an
 * article's sentences was the largest part of picking its quote, so they are kept per open index (the
 * articles a desk asks about are few and asked about again).
 */
function sentenceTermsOf(archive: ArchiveReader, view: ArticleView): string[][] {
  return remember(
    memoOf(archive).sentences,
    view.id,
    () => Array.from({ length: view.sentenceCount }, (_, s) => analyze(view.sentenceText(s))),
    SENTENCE_MEMO_LIMIT,
  );
}

/**
 * What the same-story rule compares for an answer: title, lead and date, without the articles' meaning.
 * An answer folds only near-identical articles (copies, updated versions); two reports of one event that
 * a model finds alike each hold facts of their own, and a researcher wants both.
 */
function storyFeatures(archive: ArchiveReader, view: ArticleView): StoryFeatures {
  return remember(memoOf(archive).stories, view.id, () => {
    const lead = leadSentence(view);
    return {
      title: view.title,
      lead: view.body.slice(lead.start, lead.end),
      date: view.meta.date,
      vector: null,
    };
  });
}

/** What the quote picker needs of one article. */
function quoteInput(
  archive: ArchiveReader,
  view: ArticleView,
  query: QueryEvidence,
  idf: (term: string) => number,
  maxSentences?: number,
): QuoteInput {
  const terms = sentenceTermsOf(archive, view);
  return {
    body: view.body,
    sentences: Array.from({ length: view.sentenceCount }, (_, s) => {
      const { start, end } = view.sentence(s);
      return [start, end];
    }).flat(),
    termsOf: (s) => terms[s] ?? [],
    similarity: (s) => query.denseWeight * view.sentenceSimilarity(s, query.content),
    idf,
    question: query.profile,
    titleTerms: titleTermsOf(archive, view.id),
    maxSentences,
  };
}

/** Whether a sentence of the article holds `term` with one of `others` in it or a neighbouring sentence. */
function sentenceHolds(
  archive: ArchiveReader,
  view: ArticleView,
  term: string,
  others: ReadonlySet<string>,
): boolean {
  const terms = sentenceTermsOf(archive, view);
  for (let s = 0; s < terms.length; s++) {
    if (!(terms[s] as string[]).includes(term)) continue;
    for (let n = Math.max(0, s - 1); n <= Math.min(terms.length - 1, s + 1); n++)
      if ((terms[n] as string[]).some((t) => others.has(t))) return true;
  }
  return false;
}

/** Whether the title or a sentence of the article holds `terms` one right after another. */
function holdsInRow(archive: ArchiveReader, view: ArticleView, terms: readonly string[]): boolean {
  const inRow = (words: readonly string[]) => words.some((_, i) => terms.every((t, k) => words[i + k] === t));
  return inRow(analyze(view.title)) || sentenceTermsOf(archive, view).some(inRow);
}

/** The share of the question's words (weighted by rarity) in the article's title. */
function titleShare(
  archive: ArchiveReader,
  articleId: string,
  query: QueryEvidence,
  idf: ReadonlyMap<string, number>,
): number {
  const title = matchedQuestionTerms(titleTermsOf(archive, articleId), query.profile);
  let total = 0;
  let found = 0;
  for (const t of query.profile.terms) {
    const weight = idf.get(t) ?? 0;
    total += weight;
    if (title.includes(t)) found += weight;
  }
  return total > 0 ? found / total : 0;
}

/** A term's idf from the question's prefetched ones; a term the archive never uses gets the highest. */
function idfOf(idf: ReadonlyMap<string, number>, term: string, passages: number): number {
  return idf.get(term) ?? Math.log(1 + (passages + 0.5) / 0.5);
}

function articleRef(article: ArticleMeta): ArticleRef {
  return {
    articleId: article.id,
    source: article.source,
    title: article.title,
    outlet: article.outlet,
    date: article.date,
    url: article.url,
  };
}

function compareDatesDesc(a: ArticleMeta | undefined, b: ArticleMeta | undefined): number {
  const da = a?.date ?? '';
  const db = b?.date ?? '';
  return da === db ? 0 : da < db ? 1 : -1;
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
