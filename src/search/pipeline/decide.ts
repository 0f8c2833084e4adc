import { dotArray, sigmoid } from '../learn/logistic.js';
import { ARTICLE_FEATURES, type ArticleFeature, type RelevanceParams } from './params.js';

export type ArticleFeatures = Record<ArticleFeature, number>;

/**
 * Stage 4, score an article: the fitted probability that it answers the question, from what retrieval,
 * the quote and the title say about it. The same number ranks the best candidates, decides whether to
 * answer at all, and is the strength shown beside a result.
 */
export function answerProbability(features: ArticleFeatures, params: RelevanceParams['article']): number {
  const x = ARTICLE_FEATURES.map((k) => features[k]);
  const w = ARTICLE_FEATURES.map((k) => params.weights[k]);
  return sigmoid(params.bias + dotArray(w, x));
}

/** Stage 5, decide: answer when the best article is likely enough to answer; show the others that are useful. */
export function decide<T extends { probability: number }>(
  ranked: readonly T[],
  params: RelevanceParams['decide'],
): T[] {
  const best = ranked[0];
  if (!best || best.probability < params.threshold) return [];
  return [best, ...ranked.slice(1).filter((r) => r.probability >= params.usefulnessFloor)];
}

export type Strength = 'Strong match' | 'Good match' | 'Possible match';

/** The strength shown beside a result, in words, from its probability. */
export function strengthOf(probability: number, params: RelevanceParams['decide']): Strength {
  return probability >= params.strong
    ? 'Strong match'
    : probability >= params.good
      ? 'Good match'
      : 'Possible match';
}
