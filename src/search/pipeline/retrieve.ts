import type { ArchiveReader, PassageRef } from '../../store/archive.js';
import type { ArticleMeta } from '../../store/article-view.js';
import type { NearestFilter } from '../../store/backend.js';
import { dot } from '../../vectors/vectors.js';
import type { RelevanceParams } from './params.js';
import type { QuestionProfile } from './question.js';

/** A question as the retrieval uses it. */
export interface QueryEvidence {
  /** Distinct analysed terms. */
  terms: string[];
  /** What the question asks for and how its words may be written. */
  profile: QuestionProfile;
  /** The question as asked. */
  text: string;
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
  articleId: string;
  passage: number;
  score: number;
  lexical: number;
  dense: number;
}

/**
 * One relevance score from the two kinds of evidence: the lexical share (BM25 over the question's ideal
 * score, capped so that repeating a word cannot win alone) plus the dense evidence (cosine above the
 * question's background, in the model's own units: a model without meaning moves nothing).
 */
export function fuse(lexical: number, dense: number, params: RelevanceParams['retrieve']): number {
  return Math.min(params.lexicalCap, lexical) + params.denseWeight * dense;
}

/**
 * Hybrid retrieval: the passages sharing the most with the question (BM25, with credit for other
 * spellings of its words) plus the backend's nearest passages, each scored by the fusion with its exact
 * cosine (read from the segment, so both backends score alike); then one hit per article (its best
 * passage), best first. No floor here.
 */
export async function retrieve(
  archive: ArchiveReader,
  query: QueryEvidence,
  allowed: (article: ArticleMeta) => boolean,
  filter: NearestFilter,
  params: RelevanceParams['retrieve'],
): Promise<{ hits: ArticleHit[]; idf: Map<string, number> }> {
  const [lexical, nearest] = await Promise.all([
    archive.lexical.search({
      terms: query.terms,
      limit: params.lexicalCandidates,
      perArticle: params.lexicalPerArticle,
      allow: allowed,
      spellings: query.profile.spellings,
    }),
    query.denseWeight > 0
      ? archive.nearest(query.vector, params.denseCandidates, filter)
      : Promise.resolve([]),
  ]);
  const candidates = new Map<string, PassageRef & { lexical: number }>();
  for (const hit of lexical.hits) {
    const ref = { articleId: hit.article.id, passage: hit.passage };
    candidates.set(key(ref), { ...ref, lexical: lexical.ideal > 0 ? hit.score / lexical.ideal : 0 });
  }
  for (const ref of nearest) {
    const meta = archive.get(ref.articleId);
    if (!meta || !allowed(meta) || candidates.has(key(ref))) continue;
    candidates.set(key(ref), { ...ref, lexical: 0 });
  }
  const list = [...candidates.values()];
  const vectors = query.denseWeight > 0 ? await archive.passageVectors(list) : [];
  const best = new Map<string, ArticleHit>();
  list.forEach((candidate, i) => {
    const vector = vectors[i];
    const dense = vector ? query.denseWeight * (dot(query.vector, vector) - query.background) : 0;
    const score = fuse(candidate.lexical, dense, params);
    const current = best.get(candidate.articleId);
    if (!current || score > current.score)
      best.set(candidate.articleId, {
        articleId: candidate.articleId,
        passage: candidate.passage,
        score,
        lexical: candidate.lexical,
        dense,
      });
  });
  const hits = [...best.values()].sort(
    (a, b) => b.score - a.score || (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0),
  );
  return { hits, idf: lexical.idf };
}

function key(ref: PassageRef): string {
  return `${ref.articleId}:${ref.passage}`;
}
