import type { ArchiveReader } from '../../store/archive.js';
import { isGeneric } from '../../text/terms.js';
import { type ArticleReads, holdsInRow, sentenceHolds, titleTermsOf } from './reads.js';
import { type ArticleTest, missingParts, type RequiredPart } from './required-terms.js';
import type { ArticleHit, QueryEvidence } from './retrieve.js';

/**
 * Stage 3, candidates: for each hit, how many of the question's required parts (its figures and years
 * near its other words, its rare names, names with their numbers) the article lacks. A part it lacks is
 * evidence against it, weighed by the fitted article model with the rest, not a rule that removes it:
 * a year the article gives only in its dateline is held through its date.
 */
export async function countMissingParts(
  hits: readonly ArticleHit[],
  query: QueryEvidence,
  reads: ArticleReads,
  required: readonly RequiredPart[],
): Promise<Map<string, number>> {
  const missing = new Map<string, number>();
  if (required.length === 0) {
    for (const hit of hits) missing.set(hit.articleId, 0);
    return missing;
  }
  const archive = reads.archive;
  const terms = new Set(
    required.flatMap((p) =>
      p.kind === 'name' ? [p.term, ...p.spellings.flat()] : p.kind === 'numbered name' ? p.terms : [p.term],
    ),
  );
  const holding = new Map(
    await Promise.all(
      [...terms].map(async (term) => [term, await archive.lexical.articlesWith(term)] as const),
    ),
  );
  const holds = (term: string, articleId: string) =>
    holding.get(term)?.has(articleId) === true ||
    titleTermsOf(archive, articleId).has(term) ||
    datedIn(archive, articleId, term);
  // A number must also stand near the question's other words, and a name with its number in a row: that
  // reads the article's sentences.
  await reads.load(hits.map((h) => h.articleId));
  const topical = query.terms.filter((t) => !isGeneric(t));
  for (const hit of hits) {
    const view = reads.view(hit.articleId);
    const test: ArticleTest = {
      holds: (term) => holds(term, hit.articleId),
      nearWords: (term, others) =>
        datedIn(archive, hit.articleId, term) || sentenceHolds(archive, view, term, others),
      inRow: (terms) => holdsInRow(archive, view, terms),
    };
    missing.set(hit.articleId, missingParts(required, test, topical).length);
  }
  return missing;
}

/** Whether `term` is the year of the article's date ("in 1987" of a story dated 1987-02-26). */
function datedIn(archive: ArchiveReader, articleId: string, term: string): boolean {
  if (!/^\d{4}$/.test(term)) return false;
  return archive.get(articleId)?.date?.startsWith(term) === true;
}
