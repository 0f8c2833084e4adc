import { answerEvidence } from './answer-evidence.js';
import type { RelevanceParams } from './params.js';
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
  /** Share of the question's words, similarity of meaning and answer evidence together. */
  score: number;
  /** How plainly the quote holds what the question asks for (0–1; see answer-evidence.ts). */
  evidence: number;
  /** Share of the question's words (by rarity) the quote holds. */
  coverage: number;
}

/** A sentence's features in the order of SENTENCE_FEATURES. */
export type SentenceRow = [number, number, number, number, number, number];

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
 * Chooses the one to three consecutive sentences of an article that best answer the question, as a
 * researcher would: the run of sentences that together hold most of the question's words (weighted by
 * rarity, title words counting less) and come closest in meaning, and that hold what the question asks
 * for (an amount, a date, a name, a quotation) rather than only repeating its words. A quote too short
 * to read alone takes the next sentence.
 */
export function pickQuote(input: QuoteInput, params: RelevanceParams['sentence']): QuoteChoice {
  const { sentences, question } = input;
  const count = sentences.length / 2;
  const limit = Math.max(1, Math.min(input.maxSentences ?? params.maxSentences, params.maxSentences));
  const start = (s: number) => sentences[2 * s] as number;
  const end = (s: number) => sentences[2 * s + 1] as number;
  const f = sentenceMeasures(input, params);
  const { matched, own, coverage, answer, evidenceOf } = f;
  const w = params.weights;
  // What every sentence scores without its answer evidence and reply (cheap), and with them (read word by word).
  const base = (s: number) =>
    w.coverage * (own[s] as number) +
    w.similarity * f.similarity(s) +
    (s + (input.firstSentence ?? 0) === 0 ? w.lead : 0) +
    (w.neighbours !== 0 ? w.neighbours * f.neighbours(s) : 0);
  const reply = (s: number) => (question.asksReply && evidenceOf(s) > 0 ? (own[s - 1] ?? 0) : 0);
  const score = (s: number) => base(s) + w.evidence * answer(s) + w.reply * reply(s);
  // What a sentence could score at most: evidence and reply at their best if their weights are positive.
  const ceiling = (s: number) =>
    base(s) +
    (question.kind ? Math.max(0, w.evidence) : 0) +
    (question.asksReply ? Math.max(0, w.reply) * (own[s - 1] ?? 0) : 0);

  // The best sentence (the first of equals), reading sentences from the highest ceiling down and
  // stopping once no other can reach the best score.
  let anchor = 0;
  let anchorScore = Number.NEGATIVE_INFINITY;
  const order = Array.from({ length: count }, (_, s) => s).sort((a, b) => ceiling(b) - ceiling(a) || a - b);
  for (const s of order) {
    if (ceiling(s) < anchorScore - 1e-9) break;
    const value = score(s);
    if (value > anchorScore + 1e-9 || (Math.abs(value - anchorScore) <= 1e-9 && s < anchor)) {
      anchor = s;
      anchorScore = value;
    }
  }
  let first = anchor;
  let last = anchor;
  const covered = new Set(matched[anchor] as string[]);
  let answered = answer(anchor);
  while (last - first + 1 < limit) {
    // A neighbour joins when it brings more of the question's words, or, when the quote does not yet
    // hold what the question asks for, when it does: the answer often follows the sentence that names
    // the subject ("… locals tried to dissuade him." / "Anyone but me has the right to flinch," Xi insisted.).
    const gains = [last + 1, first - 1]
      .filter((s) => s >= 0 && s < count)
      .map((s) => ({
        s,
        gain:
          coverage((matched[s] as string[]).filter((t) => !covered.has(t))) +
          (answered < params.answerForm && answer(s) >= params.answerForm ? params.newCoverage : 0),
      }))
      .sort((a, b) => b.gain - a.gain);
    const richest = gains[0];
    if (!richest || richest.gain < params.newCoverage) break;
    const nextFirst = Math.min(first, richest.s);
    const nextLast = Math.max(last, richest.s);
    if (end(nextLast) - start(nextFirst) > params.maxQuoteChars) break;
    first = nextFirst;
    last = nextLast;
    answered = Math.max(answered, answer(richest.s));
    for (const t of matched[richest.s] as string[]) covered.add(t);
  }
  let quoteEvidence = 0;
  for (let s = first; s <= last; s++) quoteEvidence = Math.max(quoteEvidence, answer(s));
  const chosen: QuoteChoice = {
    first,
    last,
    start: start(first),
    end: end(last),
    matchedTerms: [...covered],
    score: score(anchor) + w.coverage * (coverage(covered) - (own[anchor] as number)),
    evidence: quoteEvidence,
    coverage: coverage(covered),
  };
  return widenShortQuote(chosen, count, limit, start, end, matched, params);
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

/** Every sentence's features (for fitting the sentence weights), in the order of SENTENCE_FEATURES. */
export function sentenceRows(input: QuoteInput, params: RelevanceParams['sentence']): SentenceRow[] {
  const f = sentenceMeasures(input, params);
  const count = input.sentences.length / 2;
  return Array.from(
    { length: count },
    (_, s): SentenceRow => [
      f.own[s] as number,
      f.similarity(s),
      f.answer(s),
      input.question.asksReply && f.evidenceOf(s) > 0 ? (f.own[s - 1] ?? 0) : 0,
      s + (input.firstSentence ?? 0) === 0 ? 1 : 0,
      f.neighbours(s),
    ],
  );
}
