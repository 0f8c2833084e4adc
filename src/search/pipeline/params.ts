import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeError } from '../../errors.js';

/**
 * Every tunable number of the answer pipeline, in one object passed to each stage. The weights of the
 * two fitted models (which sentence answers, whether an article answers) come from `npm run calibrate`
 * on a question bank's development part; the others are structural limits and start points. The
 * shipped models' parameters are committed in src/search/params/ with the figures that chose them.
 */

/** What is measured of a sentence when choosing the quote (see quote.ts), in this order. */
export const SENTENCE_FEATURES = [
  /** Share of the question's words (by rarity; title words and words on every line count less). */
  'coverage',
  /** Similarity of meaning to the question (cosine with its own tokens). */
  'similarity',
  /** It holds what the question asks for (an amount for "how much", a date for "when" …), 0–1. */
  'evidence',
  /** The previous sentence's coverage, when this one holds a reply the question asks about. */
  'reply',
  /** The article's first sentence (a lead restates the story; the answer is often elsewhere). */
  'lead',
  /** Share of the question's words that the previous or next sentence holds (context of the answer). */
  'neighbours',
  /** Where it stands in the article, 0 (first) to 1 (last). */
  'position',
  /** Its length (log of characters, over 5). */
  'length',
] as const;

/** What is measured of a candidate article when ranking, deciding and labelling strength, in this order. */
export const ARTICLE_FEATURES = [
  /** Its best passage's share of the question's words (BM25 over the ideal, capped). */
  'lexical',
  /** Its best passage's similarity of meaning above the question's background. */
  'dense',
  /** Its quote's score under the sentence model. */
  'quote',
  /** Its quote's answer evidence, 0–1. */
  'evidence',
  /** Share of the question's words (by rarity) in its title. */
  'title',
  /** How many of the question's required parts (rare names, figures, years) it lacks. */
  'missing',
  /** Share of the question's words (by rarity) that its quote holds. */
  'quoteCoverage',
  /** Its fused retrieval score minus the best candidate's (how it compares with the others). */
  'behindBest',
  /** Share of the question's words (by rarity) that the archive never uses (the same for every candidate). */
  'unknown',
] as const;

export type SentenceFeature = (typeof SENTENCE_FEATURES)[number];
export type ArticleFeature = (typeof ARTICLE_FEATURES)[number];

const weightsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number()])) as Record<K, z.ZodNumber>);

export const RelevanceParamsSchema = z.object({
  /** The model these were fitted for, and on what (a note for people, not read by the code). */
  fittedFor: z.string(),
  retrieve: z.object({
    /** Passages from the lexical side and from the nearest vectors. */
    lexicalCandidates: z.number().int().positive(),
    denseCandidates: z.number().int().positive(),
    /** At most this many lexical candidates from one article (one long article cannot fill the slots). */
    lexicalPerArticle: z.number().int().positive(),
    /** A passage's lexical share counts up to this (repeating a word cannot win alone). */
    lexicalCap: z.number().positive(),
    /** Weight of the dense evidence in the fused retrieval score. */
    denseWeight: z.number().min(0),
    /** Articles scoring below this are not candidates at all. */
    candidateFloor: z.number(),
  }),
  sentence: z.object({
    /** Fitted: a sentence's score is the dot product of these and its features. */
    weights: weightsOf(SENTENCE_FEATURES),
    /** A title word counts this share of its weight in a sentence (it found the article, not the sentence). */
    titleWordWeight: z.number().min(0).max(1),
    /** Evidence in a sentence that neither shares the question's words nor follows one that does counts this much. */
    linkless: z.number().min(0).max(1),
    /** A neighbour joins the quote when the sentence model gives it at least this probability. */
    neighbourGain: z.number().min(0).max(1),
    /** Shorter than this, a quote takes the next sentence; longer than the maximum it stops growing. */
    minQuoteChars: z.number().int().min(0),
    maxQuoteChars: z.number().int().positive(),
    maxSentences: z.number().int().positive(),
  }),
  article: z.object({
    /** Fitted: P(article answers) = σ(bias + weights · features). */
    bias: z.number(),
    weights: weightsOf(ARTICLE_FEATURES),
    /** How many of the best candidates are read and scored by the article model. */
    depth: z.number().int().positive(),
  }),
  decide: z.object({
    /** The best article's probability must reach this to answer (chosen by calibrate for a stated trade-off). */
    threshold: z.number().min(0).max(1),
    /** Results past the first below this probability are not shown. */
    usefulnessFloor: z.number().min(0).max(1),
    /** Labels: "Strong match" from `strong`, "Good match" from `good`, else "Possible match". */
    strong: z.number().min(0).max(1),
    good: z.number().min(0).max(1),
  }),
  required: z.object({
    /** A name counts as rare (must be there) when at most this share of passages use it … */
    rareNameShare: z.number().min(0).max(1),
    /** … or at most this many. */
    rareNamePassages: z.number().int().min(0),
  }),
  fold: z.object({
    /** Hits past the page still compared for copies of the stories on it. */
    margin: z.number().int().min(0),
  }),
});

export type RelevanceParams = z.infer<typeof RelevanceParamsSchema>;

/**
 * The starting point before any fitting: the hand-set values of the earlier pipeline, and an article model
 * that adds the old ranking's terms. Calibrate replaces the fitted parts; the shipped JSON files are what
 * the bot uses.
 */
export const DEFAULT_PARAMS: RelevanceParams = {
  fittedFor: 'hand-set starting point (not fitted)',
  retrieve: {
    lexicalCandidates: 256,
    denseCandidates: 64,
    lexicalPerArticle: 4,
    lexicalCap: 1.2,
    denseWeight: 1,
    candidateFloor: 0.2,
  },
  sentence: {
    weights: {
      coverage: 1,
      similarity: 1,
      evidence: 0.6,
      reply: 0.5,
      lead: 0,
      neighbours: 0,
      position: 0,
      length: 0,
    },
    titleWordWeight: 0.5,
    linkless: 0.5,
    neighbourGain: 0.1,
    minQuoteChars: 200,
    maxQuoteChars: 700,
    maxSentences: 3,
  },
  article: {
    bias: -3,
    weights: {
      lexical: 3,
      dense: 3,
      quote: 1,
      evidence: 0.5,
      title: 0.6,
      missing: -3,
      quoteCoverage: 1,
      behindBest: 2,
      unknown: -2,
    },
    depth: 10,
  },
  decide: { threshold: 0.5, usefulnessFloor: 0.2, strong: 0.8, good: 0.5 },
  required: { rareNameShare: 0.01, rareNamePassages: 2 },
  fold: { margin: 20 },
};

/** Parameters from a JSON file, validated (a bad file is a clear error naming the file and the field). */
export async function readParamsFile(file: string): Promise<RelevanceParams> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read relevance parameters from ${file}: ${describeError(error)}`);
  }
  const parsed = RelevanceParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `The relevance parameters in ${file} are not valid: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** The features as an array in the order of `keys`. */
export function vectorOf<K extends string>(keys: readonly K[], values: Record<K, number>): number[] {
  return keys.map((k) => values[k]);
}

/** Weights as a record from an array in the order of `keys`. */
export function recordOf<K extends string>(keys: readonly K[], values: readonly number[]): Record<K, number> {
  return Object.fromEntries(keys.map((k, i) => [k, Math.round((values[i] ?? 0) * 1e6) / 1e6])) as Record<
    K,
    number
  >;
}
