/**
 * Where the pure relevance stages meet the store: the articles a question reads (text and sentence
 * vectors, each read once per question) and what is worked out once per article of an open index.
 */
import type { ArchiveReader } from '../../store/archive.js';
import type { ArticleView } from '../../store/article-view.js';
import { leadSentence } from '../../stories/lead.js';
import type { StoryFeatures } from '../../stories/same-story.js';
import { analyze } from '../../text/terms.js';
import { matchedQuestionTerms, type QuestionProfile } from './question.js';
import type { QuoteInput } from './quote.js';
import type { QueryEvidence } from './retrieve.js';

/** An article of the question's candidates failed its checksum when read (the question is asked again). */
export class ArticleLeftOutError extends Error {}

/** The articles a question reads, each read once per question. */
export class ArticleReads {
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
export function titleTermsOf(archive: ArchiveReader, articleId: string): Set<string> {
  return remember(
    memoOf(archive).titles,
    articleId,
    () => new Set(analyze(archive.get(articleId)?.title ?? '')),
  );
}

/**
 * The analysed words of each sentence of an article. They do not depend on the question and were the
 * largest part of picking a quote, so they are kept per open index (the articles a desk asks about are
 * few and asked about again).
 */
export function sentenceTermsOf(archive: ArchiveReader, view: ArticleView): string[][] {
  return remember(
    memoOf(archive).sentences,
    view.id,
    () => Array.from({ length: view.sentenceCount }, (_, s) => analyze(view.sentenceText(s))),
    SENTENCE_MEMO_LIMIT,
  );
}

/**
 * What the same-story rule compares for an answer: title, lead and date, without the articles' meaning.
 * An answer folds only near-identical articles (copies, updated versions); two reports of one event
 * each hold facts of their own, and a researcher wants both.
 */
export function storyFeatures(archive: ArchiveReader, view: ArticleView): StoryFeatures {
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
export function quoteInput(
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
export function sentenceHolds(
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
export function holdsInRow(archive: ArchiveReader, view: ArticleView, terms: readonly string[]): boolean {
  const inRow = (words: readonly string[]) => words.some((_, i) => terms.every((t, k) => words[i + k] === t));
  return inRow(analyze(view.title)) || sentenceTermsOf(archive, view).some(inRow);
}

/** The share of the question's words (weighted by rarity) in the article's title. */
export function titleShare(
  archive: ArchiveReader,
  articleId: string,
  profile: QuestionProfile,
  idf: (term: string) => number,
): number {
  const title = matchedQuestionTerms(titleTermsOf(archive, articleId), profile);
  let total = 0;
  let found = 0;
  for (const t of profile.terms) {
    const weight = idf(t);
    total += weight;
    if (title.includes(t)) found += weight;
  }
  return total > 0 ? found / total : 0;
}
