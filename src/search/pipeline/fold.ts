import { groupStories, type StoryFeatures } from '../../stories/same-story.js';

/** A hit with the near-identical articles folded into it (best first). */
export interface FoldedHit<H> {
  hit: H;
  alsoIn: H[];
}

/**
 * One story once: among the best `depth` hits, near-identical articles (syndicated copies, updated
 * versions; the digests' same-story rule) become one result, led by the best-ranked of them, with the
 * others listed as "also in". Hits beyond `depth` are kept as they are: comparing every pair of a long
 * tail costs more than a duplicate on a late page does. Order is kept.
 */
export function foldSameStories<H>(
  hits: H[],
  features: (hit: H) => StoryFeatures,
  depth: number,
): Array<FoldedHit<H>> {
  const head = groupStories(hits.slice(0, depth), features).map(([hit, ...alsoIn]) => ({
    hit: hit as H,
    alsoIn,
  }));
  return [...head, ...hits.slice(depth).map((hit) => ({ hit, alsoIn: [] }))];
}
