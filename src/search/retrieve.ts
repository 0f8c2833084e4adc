import type { MetadataFilter } from 'vectra';
import { fuse } from './fusion.js';
import type { SearchIndex } from './search-index.js';
import { dot } from './vectors.js';

/** A question as the retrieval uses it. */
export interface QueryEvidence {
  /** Distinct analysed terms. */
  terms: string[];
  /** Pooled like passages: for passage similarity. */
  vector: Float32Array;
  /** Pooled over the question's own tokens only: for sentence similarity. */
  content: Float32Array;
  /** How similar the question is to unrelated questions: the zero point of dense evidence. */
  background: number;
}

/** The best passage of one article for a question. */
export interface ArticleHit {
  article: number;
  passage: number;
  score: number;
  lexical: number;
  dense: number;
}

/** How many passages each side contributes: the best lexical matches and vectra's nearest. */
const LEXICAL_CANDIDATES = 256;
const DENSE_CANDIDATES = 64;

/**
 * Hybrid retrieval: the passages sharing the most with the question (BM25) plus vectra's nearest passages,
 * each scored by the fusion; then one hit per article (its best passage), best first. No floor here.
 */
export async function retrieve(
  index: SearchIndex,
  query: QueryEvidence,
  allowed: (article: number) => boolean,
  vectraFilter: MetadataFilter | undefined,
): Promise<ArticleHit[]> {
  const { scores, ideal } = index.bm25.score(query.terms);
  const lexical = [...scores].filter(([passage]) =>
    allowed((index.passages[passage] as { article: number }).article),
  );
  if (lexical.length > LEXICAL_CANDIDATES) lexical.sort((a, b) => b[1] - a[1]).length = LEXICAL_CANDIDATES;
  const candidates = new Map<number, { lexical: number; cosine: number | null }>();
  for (const [passage, bm25] of lexical)
    candidates.set(passage, { lexical: ideal > 0 ? bm25 / ideal : 0, cosine: null });
  const nearest = await index.snapshot.vectra.queryItems(
    Array.from(query.vector),
    '',
    Math.min(DENSE_CANDIDATES, index.passages.length),
    vectraFilter,
  );
  for (const { item, score } of nearest) {
    const passage = index.passageByItem.get(item.id);
    if (passage === undefined || !allowed((index.passages[passage] as { article: number }).article)) continue;
    const known = candidates.get(passage);
    if (known) known.cosine = score;
    else candidates.set(passage, { lexical: 0, cosine: score });
  }

  const best = new Map<number, ArticleHit>();
  for (const [passage, evidence] of candidates) {
    const ref = index.passages[passage];
    if (!ref) continue;
    const cosine = evidence.cosine ?? dot(query.vector, index.vectorByItem.get(ref.itemId) ?? []);
    const dense = cosine - query.background;
    const score = fuse(evidence.lexical, dense);
    const current = best.get(ref.article);
    if (!current || score > current.score)
      best.set(ref.article, { article: ref.article, passage, score, lexical: evidence.lexical, dense });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.article - b.article);
}
