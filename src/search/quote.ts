import { answerEvidence } from './answer-evidence.js';
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
}

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
  /** Longest quote in sentences (default 3; digests show one). */
  maxSentences?: number;
}

/** Weight of a sentence's similarity of meaning against its share of the question's words. */
const SENTENCE_DENSE_WEIGHT = 1;
/**
 * Words of the title find the article, but every sentence of it is about them: in a sentence they count
 * this much of their weight, so that the sentence that answers wins over the one that repeats the title.
 */
const TITLE_WORD_WEIGHT = 0.5;
/** Weight of answer evidence (an amount for "how much", a date for "when" …) in a quote's score. */
const ANSWER_WEIGHT = 0.6;
/** Share of the previous sentence's coverage that a quotation borrows when the question asks for a reply. */
const REPLY_CONTEXT = 0.5;
/** Answer evidence of the right form (see answer-evidence.ts): a quote holding it answers. */
const ANSWER_FORM = 0.7;
/** A neighbour joins the quote when it brings at least this share of the question's words anew. */
const NEW_COVERAGE = 0.1;
/** Evidence in a sentence that neither shares the question's words nor follows one that does counts this much. */
const LINKLESS = 0.5;
/** Shorter than this, a quote takes the next sentence as context (answers tend to follow their topic). */
const MIN_QUOTE_CHARS = 200;
/** A quote grows no longer than this (a single long sentence is kept whole). */
const MAX_QUOTE_CHARS = 700;
const MAX_SENTENCES = 3;

/**
 * Chooses the one to three consecutive sentences of an article that best answer the question, as a
 * researcher would: the run of sentences that together hold most of the question's words (weighted by
 * rarity, title words counting less) and come closest in meaning, and that hold what the question asks
 * for (an amount, a date, a name, a quotation) rather than only repeating its words. A quote too short
 * to read alone takes the next sentence.
 */
export function pickQuote(input: QuoteInput): QuoteChoice {
  const { sentences, question } = input;
  const count = sentences.length / 2;
  const limit = Math.max(1, Math.min(input.maxSentences ?? MAX_SENTENCES, MAX_SENTENCES));
  const weights = new Map(
    question.terms.map((t) => [t, input.idf(t) * (input.titleTerms.has(t) ? TITLE_WORD_WEIGHT : 1)]),
  );
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const start = (s: number) => sentences[2 * s] as number;
  const end = (s: number) => sentences[2 * s + 1] as number;
  const matched = Array.from({ length: count }, (_, s) => matchedQuestionTerms(input.termsOf(s), question));
  // A word of the question that the article repeats sentence after sentence names what the article is
  // about ("Merrill Lynch" all through a story about its former executive): it found the article but
  // tells little about which sentence answers. In a sentence it counts 1/√(k-1) of its weight when k
  // sentences hold it (fully in one or two: the lead and the sentence that answers may both name it).
  const spread = new Map<string, number>();
  for (const terms of matched) for (const t of terms) spread.set(t, (spread.get(t) ?? 0) + 1);
  for (const [t, k] of spread) weights.set(t, (weights.get(t) ?? 0) / Math.sqrt(Math.max(1, k - 1)));
  const similarity = Array.from({ length: count }, (_, s) => input.similarity(s));
  // Answer evidence reads a sentence word by word: worked out only for sentences that may win.
  const evidenceMemo: Array<number | undefined> = [];
  const evidenceOf = (s: number) => {
    let value = evidenceMemo[s];
    if (value === undefined) {
      value = question.kind ? answerEvidence(input.body.slice(start(s), end(s)), question) : 0;
      evidenceMemo[s] = value;
    }
    return value;
  };

  const coverage = (terms: Iterable<string>) => {
    let sum = 0;
    for (const t of terms) sum += weights.get(t) ?? 0;
    return sum / total;
  };
  const own = matched.map((terms) => coverage(terms));
  // Evidence of an answer counts where the sentence is about the question: it shares the question's
  // words, or follows the sentence that does (answers often come right after the sentence naming the
  // subject: "TimeWarner's profits … It said …").
  const answer = (s: number) =>
    (own[s] as number) > 0 || (own[s - 1] ?? 0) > 0 ? evidenceOf(s) : LINKLESS * evidenceOf(s);
  const score = (s: number) =>
    (own[s] as number) +
    SENTENCE_DENSE_WEIGHT * (similarity[s] as number) +
    ANSWER_WEIGHT * answer(s) +
    // A reply follows what it replies to: "… locals tried to dissuade him." / "Anyone but me has the
    // right to flinch," Xi insisted. The quotation borrows some of the previous sentence's words.
    (question.asksReply && evidenceOf(s) > 0 ? REPLY_CONTEXT * (own[s - 1] ?? 0) : 0);
  // What a sentence could score at most, with full answer evidence.
  const ceiling = (s: number) =>
    (own[s] as number) +
    SENTENCE_DENSE_WEIGHT * (similarity[s] as number) +
    (question.kind ? ANSWER_WEIGHT + (question.asksReply ? REPLY_CONTEXT * (own[s - 1] ?? 0) : 0) : 0);

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
          (answered < ANSWER_FORM && answer(s) >= ANSWER_FORM ? NEW_COVERAGE : 0),
      }))
      .sort((a, b) => b.gain - a.gain);
    const richest = gains[0];
    if (!richest || richest.gain < NEW_COVERAGE) break;
    const nextFirst = Math.min(first, richest.s);
    const nextLast = Math.max(last, richest.s);
    if (end(nextLast) - start(nextFirst) > MAX_QUOTE_CHARS) break;
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
    score: score(anchor) + coverage(covered) - (own[anchor] as number),
    evidence: quoteEvidence,
  };
  return widenShortQuote(chosen, count, limit, start, end, matched);
}

/** Too short to stand alone: the next sentence (or the one before, at the end) gives it context. */
function widenShortQuote(
  quote: QuoteChoice,
  count: number,
  limit: number,
  start: (s: number) => number,
  end: (s: number) => number,
  matched: string[][],
): QuoteChoice {
  let { first, last } = quote;
  const terms = new Set(quote.matchedTerms);
  while (last - first + 1 < limit && end(last) - start(first) < MIN_QUOTE_CHARS) {
    const next = last + 1 < count ? last + 1 : first - 1;
    if (next < 0 || end(Math.max(last, next)) - start(Math.min(first, next)) > MAX_QUOTE_CHARS) break;
    first = Math.min(first, next);
    last = Math.max(last, next);
    for (const t of matched[next] ?? []) terms.add(t);
  }
  return { ...quote, first, last, start: start(first), end: end(last), matchedTerms: [...terms] };
}
