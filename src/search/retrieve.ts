import type { MetadataFilter } from 'vectra';
import { fuse } from './fusion.js';
import type { QuestionProfile } from './question.js';
import type { RequiredPart } from './required-terms.js';
import type { SearchIndex } from './search-index.js';
import { dot } from './vectors.js';

/** A question as the retrieval uses it. */
export interface QueryEvidence {
  /** Distinct analysed terms. */
  terms: string[];
  /** What the question asks for and how its words may be written. */
  profile: QuestionProfile;
  /** What an answering article must hold: the question's numbers and rare names. */
  required: RequiredPart[];
  /** Pooled like passages: for passage similarity. */
  vector: Float32Array;
  /** Pooled over the question's own tokens only: for sentence similarity. */
  content: Float32Array;
  /** How similar the question is to unrelated questions: the zero point of dense evidence. */
  background: number;
  /** 1, or 0 to leave similarity of meaning out (measuring what lexical evidence does alone). */
  denseWeight: number;
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
/**
 * At most this many lexical candidates come from one article, so that one long, repetitive article
 * cannot fill every slot and push the article that answers out of the candidates.
 */
const CANDIDATES_PER_ARTICLE = 4;
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
  addOtherSpellings(index, query, scores);
  const articleOf = (passage: number) => (index.passages[passage] as { article: number }).article;
  const lexical = bestPerArticle(
    [...scores].filter(([passage]) => allowed(articleOf(passage))),
    articleOf,
  );
  const candidates = new Map<number, { lexical: number; cosine: number | null }>();
  for (const [passage, bm25] of lexical)
    candidates.set(passage, { lexical: ideal > 0 ? bm25 / ideal : 0, cosine: null });
  const nearest =
    query.denseWeight > 0
      ? await index.snapshot.vectra.queryItems(
          Array.from(query.vector),
          '',
          Math.min(DENSE_CANDIDATES, index.passages.length),
          vectraFilter,
        )
      : [];
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
    const dense = query.denseWeight * (cosine - query.background);
    const score = fuse(evidence.lexical, dense);
    const current = best.get(ref.article);
    if (!current || score > current.score)
      best.set(ref.article, { article: ref.article, passage, score, lexical: evidence.lexical, dense });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.article - b.article);
}

/**
 * The best-scoring passages, at most CANDIDATES_PER_ARTICLE of any one article and LEXICAL_CANDIDATES
 * in all (the cap applies before the cut).
 */
export function bestPerArticle(
  scored: Array<[number, number]>,
  articleOf: (passage: number) => number,
): Array<[number, number]> {
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const perArticle = new Map<number, number>();
  const kept: Array<[number, number]> = [];
  for (const entry of scored) {
    const article = articleOf(entry[0]);
    const taken = perArticle.get(article) ?? 0;
    if (taken >= CANDIDATES_PER_ARTICLE) continue;
    perArticle.set(article, taken + 1);
    kept.push(entry);
    if (kept.length === LEXICAL_CANDIDATES) break;
  }
  return kept;
}

/**
 * A passage that writes the question's words another way ("TimeWarner" for "Time Warner", "e-mail" for
 * "email") gets the credit those words would have earned, scaled by how fully it holds the other spelling.
 */
function addOtherSpellings(index: SearchIndex, query: QueryEvidence, scores: Map<number, number>): void {
  for (const { from, to } of query.profile.spellings) {
    const written = index.bm25.score(from);
    const other = index.bm25.score(to);
    if (other.ideal <= 0) continue;
    for (const [passage, score] of other.scores) {
      const credit = (score / other.ideal) * written.ideal;
      const own = written.scores.get(passage) ?? 0;
      if (credit > own) scores.set(passage, (scores.get(passage) ?? 0) + credit - own);
    }
  }
}
