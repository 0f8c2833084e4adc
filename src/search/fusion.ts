/**
 * How lexical and dense evidence combine into one relevance score, and where the archive stops
 * answering. Calibrated on the questions in test/fixtures/questions.json with `use-static-128` and
 * checked not to degrade with the random-weight `minilm-l6-random` (see `npm run bench:relevance`).
 *
 * - Lexical: BM25 divided by the question's ideal score, i.e. roughly the share of the question's
 *   informative words the passage contains (capped, so repeating a word cannot win on its own).
 * - Dense: the passage's cosine minus the question's cosine with unrelated questions (its "background").
 *   It is in raw cosine units, so its weight follows the model's own contrast: a model without meaning
 *   scores everything alike and moves nothing, while a strong model separates widely and counts more.
 *   Against unrelated questions it is usually negative, which also helps abstention.
 */
export const LEXICAL_CAP = 1.2;
export const DENSE_WEIGHT = 1;
/** Below this fused score an article does not answer the question (see the calibration note above). */
export const RELEVANCE_FLOOR = 0.35;

export function fuse(lexical: number, dense: number): number {
  return Math.min(LEXICAL_CAP, lexical) + DENSE_WEIGHT * dense;
}
