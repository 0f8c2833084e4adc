import { dotArray } from '../learn/logistic.js';
import { answerEvidence } from './answer-evidence.js';
import { type RelevanceParams, SENTENCE_FEATURES } from './params.js';
import { matchedQuestionTerms, type QuestionProfile } from './question.js';

/** A verbatim quote: sentences `first..last` of the article, `body.slice(start, end)`. */
export interface QuoteSpan {
  first: number;
  last: number;
  start: number;
  end: number;
  /** Question terms (analysed) the quote contains, for the relevance note. */
  matchedTerms: string[];
}

/** The chosen quote with how well it answers. */
export interface QuoteChoice extends QuoteSpan {
  /** The sentence model's score of the quote's likeliest sentence (its logit; compared across articles). */
  score: number;
  /** How plainly the quote holds what the question asks for (0–1; see answer-evidence.ts). */
  evidence: number;
  /** Share of the question's words (by rarity) the quote holds. */
  coverage: number;
}

/** A sentence's features in the order of SENTENCE_FEATURES. */
export type SentenceRow = number[];

/**
 * What the picker needs to know about one article and the question, and nothing else: the article's text
 * and sentence offsets, its sentences' analysed terms and similarity to the question, and how rare each
 * word is in the archive.
 */
export interface QuoteInput {
  body: string;
  /** Flat `[start0, end0, start1, end1, …]` character offsets of the sentences in `body`. */
  sentences: readonly number[];
  /** Analysed terms of sentence `s`. */
  termsOf: (s: number) => readonly string[];
  /** Similarity of meaning of sentence `s` to the question (cosine, with the question's own tokens). */
  similarity: (s: number) => number;
  /** Inverse document frequency of a term in the archive. */
  idf: (term: string) => number;
  question: QuestionProfile;
  /** Analysed words of the article's title. */
  titleTerms: ReadonlySet<string>;
  /** Longest quote in sentences (default from the parameters; digests show one). */
  maxSentences?: number;
  /** The article's index of sentence 0 here (non-zero when picking within one page). */
  firstSentence?: number;
}

/**
 * Chooses the one to three consecutive sentences of an article that best answer the question. Each
 * sentence is scored by the fitted sentence model (a weighted sum of its features: the question's words it
 * holds, closeness in meaning, whether it holds what the question asks for, its neighbours, its place), the
 * scores become probabilities over the article's sentences (softmax: the model was fitted as one), and the
 * quote is the likeliest sentence with each neighbour that is itself likely enough (`neighbourGain`): an
 * answer that the model splits between two sentences is quoted whole. A quote too short to read alone
 * takes the next sentence.
 */
export function pickQuote(input: QuoteInput, params: RelevanceParams['sentence']): QuoteChoice {
  const count = input.sentences.length / 2;
  const limit = Math.max(1, Math.min(input.maxSentences ?? params.maxSentences, params.maxSentences));
  const start = (s: number) => input.sentences[2 * s] as number;
  const end = (s: number) => input.sentences[2 * s + 1] as number;
  const f = sentenceMeasures(input, params);
  const weights = SENTENCE_FEATURES.map((k) => params.weights[k]);
  const scores = Array.from({ length: count }, (_, s) => dotArray(weights, rowOf(f, input, s)));
  const { anchor, first, last } = quoteWindow(scores, input.sentences, limit, params);
  const covered = new Set<string>();
  let evidence = 0;
  for (let s = first; s <= last; s++) {
    for (const t of f.matched[s] as string[]) covered.add(t);
    evidence = Math.max(evidence, f.answer(s));
  }
  const chosen: QuoteChoice = {
    first,
    last,
    start: start(first),
    end: end(last),
    matchedTerms: [...covered],
    score: scores[anchor] ?? 0,
    evidence,
    coverage: f.coverage(covered),
  };
  return widenShortQuote(chosen, count, limit, start, end, f.matched, params);
}

/**
 * The likeliest sentence and the neighbours that join it: a softmax over the sentence scores, then the
 * likelier neighbour joins while its probability reaches `neighbourGain`, up to `limit` sentences and
 * `maxQuoteChars` characters. `spans` are the flat sentence offsets.
 */
export function quoteWindow(
  scores: readonly number[],
  spans: readonly number[],
  limit: number,
  params: Pick<RelevanceParams['sentence'], 'neighbourGain' | 'maxQuoteChars'>,
): { anchor: number; first: number; last: number } {
  const count = scores.length;
  const best = Math.max(...scores);
  const mass = scores.map((v) => Math.exp(v - best));
  const total = mass.reduce((a, b) => a + b, 0) || 1;
  const p = mass.map((m) => m / total);
  let anchor = 0;
  for (let s = 1; s < count; s++) if ((scores[s] as number) > (scores[anchor] as number) + 1e-12) anchor = s;
  let first = anchor;
  let last = anchor;
  while (last - first + 1 < limit) {
    const next = [last + 1, first - 1]
      .filter((s) => s >= 0 && s < count)
      .sort((a, b) => (p[b] as number) - (p[a] as number))[0];
    if (next === undefined || (p[next] as number) < params.neighbourGain) break;
    const from = spans[2 * Math.min(first, next)] as number;
    const to = spans[2 * Math.max(last, next) + 1] as number;
    if (to - from > params.maxQuoteChars) break;
    first = Math.min(first, next);
    last = Math.max(last, next);
  }
  return { anchor, first, last };
}

/** Too short to stand alone: the next sentence (or the one before, at the end) gives it context. */
function widenShortQuote(
  quote: QuoteChoice,
  count: number,
  limit: number,
  start: (s: number) => number,
  end: (s: number) => number,
  matched: string[][],
  params: RelevanceParams['sentence'],
): QuoteChoice {
  let { first, last } = quote;
  const terms = new Set(quote.matchedTerms);
  while (last - first + 1 < limit && end(last) - start(first) < params.minQuoteChars) {
    const next = last + 1 < count ? last + 1 : first - 1;
    if (next < 0 || end(Math.max(last, next)) - start(Math.min(first, next)) > params.maxQuoteChars) break;
    first = Math.min(first, next);
    last = Math.max(last, next);
    for (const t of matched[next] ?? []) terms.add(t);
  }
  return { ...quote, first, last, start: start(first), end: end(last), matchedTerms: [...terms] };
}

/**
 * What the picker measures of an article's sentences for a question: the question's words each holds
 * (weighted by rarity, title words and words on every line counting less), similarity of meaning, and
 * answer evidence (worked out on demand: it reads a sentence word by word).
 */
function sentenceMeasures(input: QuoteInput, params: RelevanceParams['sentence']) {
  const { sentences, question } = input;
  const count = sentences.length / 2;
  const weights = new Map(
    question.terms.map((t) => [t, input.idf(t) * (input.titleTerms.has(t) ? params.titleWordWeight : 1)]),
  );
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const matched = Array.from({ length: count }, (_, s) => matchedQuestionTerms(input.termsOf(s), question));
  // A word of the question that the article repeats sentence after sentence names what the article is
  // about: it found the article but tells little about which sentence answers. In a sentence it counts
  // 1/√(k-1) of its weight when k sentences hold it (fully in one or two: the lead and the answer).
  const spread = new Map<string, number>();
  for (const terms of matched) for (const t of terms) spread.set(t, (spread.get(t) ?? 0) + 1);
  for (const [t, k] of spread) weights.set(t, (weights.get(t) ?? 0) / Math.sqrt(Math.max(1, k - 1)));
  const coverage = (terms: Iterable<string>) => {
    let sum = 0;
    for (const t of terms) sum += weights.get(t) ?? 0;
    return sum / total;
  };
  const own = matched.map((terms) => coverage(terms));
  const similarityMemo: Array<number | undefined> = [];
  const similarity = (s: number) => {
    let value = similarityMemo[s];
    if (value === undefined) {
      value = input.similarity(s);
      similarityMemo[s] = value;
    }
    return value;
  };
  const evidenceMemo: Array<number | undefined> = [];
  const evidenceOf = (s: number) => {
    let value = evidenceMemo[s];
    if (value === undefined) {
      const from = sentences[2 * s] as number;
      const to = sentences[2 * s + 1] as number;
      value = question.kind ? answerEvidence(input.body.slice(from, to), question) : 0;
      evidenceMemo[s] = value;
    }
    return value;
  };
  // Evidence of an answer counts where the sentence is about the question: it shares the question's
  // words, or follows the sentence that does ("TimeWarner's profits … It said …").
  const answer = (s: number) =>
    (own[s] as number) > 0 || (own[s - 1] ?? 0) > 0 ? evidenceOf(s) : params.linkless * evidenceOf(s);
  const neighbours = (s: number) => {
    const mine = new Set(matched[s]);
    const around = new Set(
      [...(matched[s - 1] ?? []), ...(matched[s + 1] ?? [])].filter((t) => !mine.has(t)),
    );
    return coverage(around);
  };
  return { matched, own, coverage, similarity, evidenceOf, answer, neighbours };
}

/** Sentence `s`'s features, in the order of SENTENCE_FEATURES. */
function rowOf(f: ReturnType<typeof sentenceMeasures>, input: QuoteInput, s: number): SentenceRow {
  const count = input.sentences.length / 2;
  const index = s + (input.firstSentence ?? 0);
  const chars = (input.sentences[2 * s + 1] as number) - (input.sentences[2 * s] as number);
  return [
    f.own[s] as number,
    f.similarity(s),
    f.answer(s),
    input.question.asksReply && f.evidenceOf(s) > 0 ? (f.own[s - 1] ?? 0) : 0,
    index === 0 ? 1 : 0,
    f.neighbours(s),
    count > 1 ? s / (count - 1) : 0,
    Math.log1p(chars) / 5,
  ];
}

/** Every sentence's features (for fitting the sentence weights), in the order of SENTENCE_FEATURES. */
export function sentenceRows(input: QuoteInput, params: RelevanceParams['sentence']): SentenceRow[] {
  const f = sentenceMeasures(input, params);
  return Array.from({ length: input.sentences.length / 2 }, (_, s) => rowOf(f, input, s));
}
