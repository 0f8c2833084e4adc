import type { Article } from '../corpus/article.js';
import type { Embedder } from '../embedding/embedder.js';
import { quotesOf } from '../quotes/stored.js';
import type { FileStamp } from '../store/article-view.js';
import type { NewArticle } from '../store/segment.js';
import { yieldEvery } from '../util/yield-budget.js';
import { normalize } from '../vectors/vectors.js';
import type { PassageLimits } from './passages.js';
import { type SegmentedArticle, segmentArticleWithPauses } from './segment-article.js';

export interface ToEmbed {
  article: Article;
  file: FileStamp | null;
  addedAt: string;
}

/**
 * Splits articles into sentences and passages and embeds the passages in one batch (the embedder groups
 * inputs of similar length). Each passage gets its pooled vector; each sentence the mean of its contextual
 * vectors in the passages that hold it (two, where passages overlap), normalised.
 */
export async function embedArticles(
  items: ToEmbed[],
  embedder: Embedder,
  limits: PassageLimits,
  onPassages?: (done: number, total: number) => void,
): Promise<{ articles: NewArticle[]; passages: number; tokens: number }> {
  // Splitting and tokenizing run on the calling thread (the bot's): paused every 20 ms of work.
  const pause = yieldEvery(20);
  const segmented: SegmentedArticle[] = [];
  for (const item of items)
    segmented.push(await segmentArticleWithPauses(item.article, (t) => embedder.tokenize(t), limits, pause));
  const inputs = segmented.flatMap((s) => s.passages.map((p) => s.sentenceTokens.slice(p.first, p.last + 1)));
  const tokens = inputs.reduce(
    (n, pieces) => n + embedder.specialTokenCount + pieces.reduce((m, p) => m + p.length, 0),
    0,
  );
  const embedding = embedder.embedPieces(inputs, (done) => onPassages?.(done, inputs.length));
  // Handled below; this keeps a failure that comes while the quotations are read from being "unhandled".
  embedding.catch(() => {});
  // Quotations are read on this thread while the embedding workers run (paused like the splitting above).
  const quoted: Array<ReturnType<typeof quotesOf>> = [];
  for (const item of items) {
    quoted.push(quotesOf(item.article.body));
    await pause();
  }
  const embeddings = await embedding;
  let next = 0;
  const articles = segmented.map((seg, k): NewArticle => {
    const { article, file, addedAt } = items[k] as ToEmbed;
    const sums: Array<Float32Array | null> = seg.sentences.map(() => null);
    const passageVectors = seg.passages.map((range) => {
      const embedding = embeddings[next++];
      if (!embedding) throw new Error('the embedder returned fewer vectors than passages');
      embedding.pieces.forEach((piece, i) => {
        const s = range.first + i;
        const sum = sums[s];
        if (!sum) sums[s] = Float32Array.from(piece);
        else for (let d = 0; d < piece.length; d++) sum[d] = (sum[d] as number) + (piece[d] as number);
      });
      return embedding.vector;
    });
    const dimension = passageVectors[0]?.length ?? embedder.info.dimension;
    const { body: _body, pages, ...meta } = article;
    const { quotes, speakers } = quoted[k] as ReturnType<typeof quotesOf>;
    return {
      meta: { ...meta, addedAt, file, speakers },
      text: {
        body: article.body,
        sentences: seg.sentences.flatMap((s) => [s.start, s.end]),
        passages: seg.passages.flatMap((p) => [p.first, p.last]),
        ...(pages ? { pages } : {}),
        quotes,
      },
      passageVectors,
      sentenceVectors: sums.map((sum) => normalize(sum ?? new Float32Array(dimension))),
    };
  });
  return { articles, passages: inputs.length, tokens };
}
