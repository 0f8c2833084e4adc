import { readCorpus } from '../src/corpus/read-corpus.js';
import type { Embedder, PieceIds } from '../src/embedding/embedder.js';
import { PASSAGE_TARGET_TOKENS } from '../src/ingest/ingest.js';
import { segmentArticle } from '../src/ingest/segment-article.js';

/** The passages an ingest of `corpusDir` embeds: their text (for the pipeline) and token ids (for us). */
export interface BenchPassages {
  texts: string[];
  inputs: PieceIds[];
  /** Tokens the model reads, special tokens included: what both sides are credited with. */
  tokens: number;
}

/**
 * Splits the corpus as `ingest` does (same reader, splitter and limits), so that the baseline embeds exactly
 * the passages the ingest embeds.
 */
export async function benchPassages(corpusDir: string, embedder: Embedder): Promise<BenchPassages> {
  const corpus = await readCorpus(corpusDir, { maxFileBytes: 20 * 1024 * 1024 });
  const maxTokens = embedder.info.maxTokens - embedder.specialTokenCount;
  const limits = {
    targetTokens: Math.min(PASSAGE_TARGET_TOKENS, maxTokens),
    maxTokens,
    paragraphTokens: Math.round(PASSAGE_TARGET_TOKENS / 2),
  };
  const texts: string[] = [];
  const inputs: PieceIds[] = [];
  for (const article of corpus.articles) {
    const { sentences, sentenceTokens, passages } = segmentArticle(
      article,
      (t) => embedder.tokenize(t),
      limits,
    );
    for (const { first, last } of passages) {
      texts.push(article.body.slice(sentences[first]?.start, sentences[last]?.end));
      inputs.push(sentenceTokens.slice(first, last + 1));
    }
  }
  const tokens = inputs.reduce(
    (n, pieces) => n + embedder.specialTokenCount + pieces.reduce((m, p) => m + p.length, 0),
    0,
  );
  return { texts, inputs, tokens };
}
