import type { Article } from '../corpus/article.js';
import { dayNumber } from '../search/filters.js';
import type { IndexSnapshot, NewGeneration, PassageMetadata, StoredArticle } from '../search/index-store.js';
import { quantizeRows, rowVector } from '../search/sentence-vectors.js';
import { normalize } from '../search/vectors.js';
import type { SegmentedArticle } from './segment-article.js';

/** Rounds a vector for vectra's JSON file: 6 decimals keep cosines exact to about 1e-6. */
function storedVector(v: Float32Array): number[] {
  return Array.from(v, (x) => Math.round(x * 1e6) / 1e6);
}

/** The new generation's contents, in corpus order: fresh embeddings plus ones carried over unchanged. */
export async function assemble(
  articles: Article[],
  segmented: SegmentedArticle[],
  embeddings: Array<{ vector: Float32Array; pieces: Float32Array[] }>,
  reusable: IndexSnapshot | null,
  previousArticles: StoredArticle[],
  ingestTime: string,
): Promise<Omit<NewGeneration, 'manifest'>> {
  // An article keeps the time it first entered the archive through updates and model changes.
  const firstSeen = new Map(previousArticles.map((a) => [a.id, a.addedAt]));
  const freshById = new Map<string, { seg: SegmentedArticle; firstInput: number }>();
  let cursor = 0;
  for (const seg of segmented) {
    freshById.set(seg.article.id, { seg, firstInput: cursor });
    cursor += seg.passages.length;
  }
  const oldArticles = new Map((reusable?.articles ?? []).map((a) => [a.id, a]));
  const oldItems = new Map(
    reusable ? (await reusable.vectra.listItems()).map((item) => [item.id, item.vector]) : [],
  );

  const stored: StoredArticle[] = [];
  const passages: NewGeneration['passages'] = [];
  const sentenceRows: Float32Array[] = [];
  for (const article of articles) {
    const metadata = (passage: number): PassageMetadata => ({
      article: article.id,
      passage,
      outlet: article.outlet ?? '',
      day: dayNumber(article.date),
    });
    const fresh = freshById.get(article.id);
    const sentenceRow = sentenceRows.length;
    if (fresh) {
      const { seg, firstInput } = fresh;
      const sums = seg.sentences.map(() => ({ vector: null as Float32Array | null }));
      seg.passages.forEach((range, p) => {
        const embedding = embeddings[firstInput + p];
        if (!embedding) throw new Error('missing embedding');
        passages.push({
          id: `${article.id}:${p}`,
          vector: storedVector(embedding.vector),
          metadata: metadata(p),
        });
        // A sentence in two overlapping passages gets the mean of its two contextual vectors.
        embedding.pieces.forEach((piece, k) => {
          const slot = sums[range.first + k];
          if (!slot) return;
          if (!slot.vector) slot.vector = Float32Array.from(piece);
          else
            for (let i = 0; i < piece.length; i++)
              slot.vector[i] = (slot.vector[i] as number) + (piece[i] as number);
        });
      });
      for (const slot of sums) sentenceRows.push(normalize(slot.vector ?? new Float32Array(0)));
      stored.push({
        ...article,
        sentences: seg.sentences.flatMap((s) => [s.start, s.end]),
        passages: seg.passages.flatMap((p) => [p.first, p.last]),
        sentenceRow,
        addedAt: firstSeen.get(article.id) ?? ingestTime,
      });
      continue;
    }
    const before = oldArticles.get(article.id);
    if (!before || !reusable) throw new Error(`article ${article.id} is neither new nor in the index`);
    for (let p = 0; p < before.passages.length / 2; p++) {
      const vector = oldItems.get(`${article.id}:${p}`);
      if (!vector) throw new Error(`passage ${article.id}:${p} is missing from the index`);
      passages.push({ id: `${article.id}:${p}`, vector, metadata: metadata(p) });
    }
    for (let s = 0; s < before.sentences.length / 2; s++)
      sentenceRows.push(rowVector(reusable.sentenceVectors, before.sentenceRow + s));
    stored.push({ ...before, ...article, sentenceRow });
  }
  const dim = passages[0]?.vector.length ?? reusable?.manifest.model.dimension ?? 0;
  return { articles: stored, passages, sentenceVectors: quantizeRows(sentenceRows, dim) };
}
