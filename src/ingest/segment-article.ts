import type { Article } from '../corpus/article.js';
import { groupPassages, type PassageLimits, type PassageRange } from './passages.js';
import { type SentenceSpan, splitSentences } from './sentences.js';

/** An article cut into sentences and passages, with the token ids the model will read. */
export interface SegmentedArticle {
  article: Article;
  sentences: SentenceSpan[];
  /** Token ids of each sentence, special tokens excluded. */
  sentenceTokens: number[][];
  passages: PassageRange[];
}

export type Tokenize = (text: string) => number[];

/**
 * Splits an article into sentences (a sentence longer than the model's input is cut at word boundaries
 * into pieces that fit) and groups them into passages.
 */
export function segmentArticle(
  article: Article,
  tokenize: Tokenize,
  limits: PassageLimits,
): SegmentedArticle {
  const steps = segmentSteps(article, tokenize, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `segmentArticle`, awaiting `pause` after each sentence: a long article (20,000 sentences take a second to
 * split and tokenize) leaves the event loop free between sentences when `pause` yields.
 */
export async function segmentArticleWithPauses(
  article: Article,
  tokenize: Tokenize,
  limits: PassageLimits,
  pause: () => Promise<void>,
): Promise<SegmentedArticle> {
  const steps = segmentSteps(article, tokenize, limits);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** The work of `segmentArticle`, one sentence per step. */
function* segmentSteps(
  article: Article,
  tokenize: Tokenize,
  limits: PassageLimits,
): Generator<void, SegmentedArticle> {
  const sentences: SentenceSpan[] = [];
  const sentenceTokens: number[][] = [];
  for (const span of splitSentences(article.body)) {
    const ids = tokenize(article.body.slice(span.start, span.end));
    if (ids.length <= limits.maxTokens) {
      sentences.push(span);
      sentenceTokens.push(ids);
    } else {
      for (const piece of splitLongSentence(article.body, span, tokenize, limits.maxTokens)) {
        sentences.push(piece.span);
        sentenceTokens.push(piece.ids);
      }
    }
    yield;
  }
  const passages = groupPassages(
    sentenceTokens.map((ids) => ids.length),
    sentences.map((s) => s.paragraph),
    limits,
  );
  return { article, sentences, sentenceTokens, passages };
}

/** Cuts an over-long sentence between words so every piece fits the model. */
function splitLongSentence(
  body: string,
  span: SentenceSpan,
  tokenize: Tokenize,
  maxTokens: number,
): Array<{ span: SentenceSpan; ids: number[] }> {
  const pieces: Array<{ span: SentenceSpan; ids: number[] }> = [];
  const words = [...body.slice(span.start, span.end).matchAll(/\S+/g)];
  let current: { start: number; end: number; ids: number[] } | null = null;
  for (const word of words) {
    const start = span.start + (word.index ?? 0);
    const end = start + word[0].length;
    // A single "word" longer than the model's input (a URL, a data blob) is clipped by the embedder.
    const ids = tokenize(word[0]);
    if (current && current.ids.length + ids.length > maxTokens) {
      pieces.push({
        span: { start: current.start, end: current.end, paragraph: span.paragraph },
        ids: current.ids,
      });
      current = null;
    }
    if (!current) current = { start, end, ids: [...ids] };
    else {
      current.end = end;
      current.ids.push(...ids);
    }
  }
  if (current)
    pieces.push({
      span: { start: current.start, end: current.end, paragraph: span.paragraph },
      ids: current.ids,
    });
  for (const piece of pieces) piece.ids = piece.ids.slice(0, maxTokens);
  return pieces;
}
