import { fitConditionalLogit, fitLogistic, predict } from '../learn/logistic.js';
import type { ArticleFeatures } from '../pipeline/decide.js';
import {
  ARTICLE_FEATURES,
  type RelevanceParams,
  recordOf,
  SENTENCE_FEATURES,
  vectorOf,
} from '../pipeline/params.js';
import { quoteWindow, type SentenceRow } from '../pipeline/quote.js';
import { holdsAnswer, normal } from './bank.js';

/** What one question's run of the pipeline gave, for fitting. */
export interface Observation {
  /** Article key for cross-validation folds (questions on one article stay together). */
  key: string;
  answerable: boolean;
  answers: string[] | null;
  candidates: Array<{ right: boolean; features: ArticleFeatures; quote: string }>;
  /** For each candidate that is the right article: its sentences' features and which hold the answer. */
  sentenceGroups: Array<{ rows: SentenceRow[]; chosen: Set<number>; spans: readonly number[] }>;
}

/** The sentences of an article that hold one of the answers (whole, within the sentence). */
export function answerSentences(
  body: string,
  spans: readonly number[],
  answers: readonly string[],
): Set<number> {
  const chosen = new Set<number>();
  for (let s = 0; s < spans.length / 2; s++) {
    const text = normal(body.slice(spans[2 * s] as number, spans[2 * s + 1] as number));
    if (answers.some((a) => text.includes(normal(a)))) chosen.add(s);
  }
  return chosen;
}

export function fitSentenceWeights(
  observations: readonly Observation[],
): RelevanceParams['sentence']['weights'] {
  const groups = observations.flatMap((o) => o.sentenceGroups);
  return recordOf(SENTENCE_FEATURES, fitConditionalLogit(groups, { l2: 0.5 }));
}

export function fitArticleModel(
  observations: readonly Observation[],
): Pick<RelevanceParams['article'], 'bias' | 'weights'> {
  const x: number[][] = [];
  const y: number[] = [];
  for (const o of observations)
    for (const c of o.candidates) {
      x.push(vectorOf(ARTICLE_FEATURES, c.features));
      y.push(c.right ? 1 : 0);
    }
  const model = fitLogistic(x, y, { l2: 1 });
  return { bias: Math.round(model.bias * 1e6) / 1e6, weights: recordOf(ARTICLE_FEATURES, model.weights) };
}

/** The candidates of each question re-ranked by an article model: the best one and its probability. */
export function topUnder(
  model: Pick<RelevanceParams['article'], 'bias' | 'weights'>,
  o: Observation,
): { probability: number; right: boolean; holds: boolean } | null {
  let best: { probability: number; right: boolean; holds: boolean } | null = null;
  for (const c of o.candidates) {
    const probability = predict(
      { bias: model.bias, weights: vectorOf(ARTICLE_FEATURES, model.weights) },
      vectorOf(ARTICLE_FEATURES, c.features),
    );
    if (!best || probability > best.probability)
      best = { probability, right: c.right, holds: o.answers ? holdsAnswer(c.quote, o.answers) : false };
  }
  return best;
}

/**
 * The stated trade-off: the threshold that minimises COST_DECLINED × (share of answerable questions
 * declined) + (share of off-topic questions answered). A newsroom loses more when a question its archive
 * answers gets nothing than when an unrelated question gets a weak quote labelled "Possible match".
 */
export const COST_DECLINED = 3;

export function chooseThreshold(tops: ReadonlyArray<{ probability: number; answerable: boolean }>): number {
  const answerable = tops.filter((t) => t.answerable).length || 1;
  const offTopic = tops.filter((t) => !t.answerable).length || 1;
  const candidates = [...new Set(tops.map((t) => t.probability))].sort((a, b) => a - b);
  let best = { threshold: 0.5, cost: Number.POSITIVE_INFINITY };
  for (let i = 0; i < candidates.length; i++) {
    // Halfway between neighbouring probabilities, so that a threshold does not sit on a question.
    const lower = i === 0 ? 0 : (candidates[i - 1] as number);
    const threshold = (lower + (candidates[i] as number)) / 2;
    const declined = tops.filter((t) => t.answerable && t.probability < threshold).length / answerable;
    const answered = tops.filter((t) => !t.answerable && t.probability >= threshold).length / offTopic;
    const cost = COST_DECLINED * declined + answered;
    if (cost < best.cost - 1e-12) best = { threshold, cost };
  }
  return Math.round(best.threshold * 1e4) / 1e4;
}

/**
 * k-fold cross-validation over dev by article: both models fitted on k−1 folds, the held fold re-ranked
 * and decided with them (from the candidates and quotes already collected).
 */
export function crossValidate(observations: readonly Observation[], k = 5) {
  const fold = (o: Observation) => {
    let h = 0;
    for (const ch of o.key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return h % k;
  };
  let rightFirst = 0;
  let answerable = 0;
  let declinedAnswerable = 0;
  let offTopic = 0;
  let offTopicDeclined = 0;
  for (let f = 0; f < k; f++) {
    const train = observations.filter((o) => fold(o) !== f);
    const test = observations.filter((o) => fold(o) === f);
    const model = fitArticleModel(train);
    const threshold = chooseThreshold(
      train.map((o) => ({ probability: topUnder(model, o)?.probability ?? 0, answerable: o.answerable })),
    );
    for (const o of test) {
      const top = topUnder(model, o);
      const answered = top !== null && top.probability >= threshold;
      if (o.answerable) {
        answerable++;
        if (!answered) declinedAnswerable++;
        else if (top?.holds) rightFirst++;
      } else {
        offTopic++;
        if (!answered) offTopicDeclined++;
      }
    }
  }
  return { k, answerable, rightFirst, declinedAnswerable, offTopic, offTopicDeclined };
}

/** Neighbour gains tried by `chooseNeighbourGain`. */
const GAINS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1];

/**
 * The neighbour gain under which the quote of the right article most often holds the answer, counting a
 * quote's length against it: among gains within one question of the best, the highest (shortest quotes).
 */
export function chooseNeighbourGain(
  observations: readonly Observation[],
  params: RelevanceParams['sentence'],
): { gain: number; held: number; groups: number } {
  const groups = observations.flatMap((o) => o.sentenceGroups);
  const weights = vectorOf(SENTENCE_FEATURES, params.weights);
  const held = GAINS.map((gain) => {
    let n = 0;
    for (const g of groups) {
      const scores = g.rows.map((r) => r.reduce((a, v, i) => a + v * (weights[i] ?? 0), 0));
      const w = quoteWindow(scores, g.spans, params.maxSentences, { ...params, neighbourGain: gain });
      for (let s = w.first; s <= w.last; s++)
        if (g.chosen.has(s)) {
          n++;
          break;
        }
    }
    return n;
  });
  const top = Math.max(...held);
  let pick = 0;
  held.forEach((n, i) => {
    if (n >= top - 1) pick = i;
  });
  return { gain: GAINS[pick] as number, held: held[pick] as number, groups: groups.length };
}
