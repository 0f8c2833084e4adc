import { at } from '../util/checked.js';
import type { Postings } from './lexicon.js';
import type { CatalogEntry, SegmentReader } from './segment.js';

/**
 * Okapi BM25 over the passages of every live segment, with the same numbers whichever backend holds the
 * vectors. Document frequencies and lengths count live passages only (those of removed or replaced
 * articles are masked), so a score does not depend on how often the archive was updated.
 *
 * The best passages come with the question's ideal score (the score a passage of average length holding
 * each question term once would get: the sum of the terms' idf), so a score reads as "how much of the
 * question this passage covers". Scores accumulate in a typed array over all passages (no map per
 * question), and only the best few thousand are looked at further, so a question over a million passages
 * costs what its postings cost.
 */

const K1 = 1.2;
const B = 0.75;

export interface LexicalQuery {
  terms: string[];
  /** Candidates wanted, best first. */
  limit: number;
  /**
   * At most this many passages of one article: one long, repetitive article must not fill every slot and
   * hide the others (search poisoning).
   */
  perArticle: number;
  /** Articles the search may return (filters); all live ones when absent. */
  allow?: (article: CatalogEntry) => boolean;
  /**
   * Other spellings of some of the question's words (`timewarner` for `time` + `warner`): a passage that
   * writes them so gets the credit the question's spelling would have earned, scaled by how fully it holds
   * the other spelling.
   */
  spellings?: ReadonlyArray<{ from: readonly string[]; to: readonly string[] }>;
}

export interface LexicalHit {
  handle: number;
  score: number;
  article: CatalogEntry;
  /** The passage's number within its article. */
  passage: number;
}

export interface LexicalResult {
  hits: LexicalHit[];
  ideal: number;
  /** Inverse document frequency of each of the question's terms. */
  idf: Map<string, number>;
}

interface LiveSegment {
  reader: SegmentReader;
  /** 1 for a live passage, 0 for one of a removed or replaced article. */
  live: Uint8Array;
  /**
   * BM25's length normalisation of each passage, `K1 * (1 - B + B * length / averageLength)`, computed once
   * at open: the scoring loop then does one division per posting.
   */
  norm: Float32Array;
  /** Handle of the segment's first passage. */
  base: number;
}

export class LexicalIndex {
  private readonly segments: LiveSegment[] = [];
  readonly liveDocs: number;
  private readonly averageLength: number;
  private readonly totals: Float32Array;
  /** Handles given a score by the current question, in the order first scored (reused). */
  private readonly touched: Uint32Array;

  constructor(readers: Array<{ reader: SegmentReader; deleted: ReadonlySet<string> }>) {
    let base = 0;
    let live = 0;
    let length = 0;
    for (const { reader, deleted } of readers) {
      const mask = new Uint8Array(reader.lexicon.docCount).fill(1);
      for (const entry of reader.catalog) {
        if (deleted.has(entry.id)) mask.fill(0, entry.firstDoc, entry.firstDoc + entry.passageCount);
      }
      const lengths = reader.lexicon.docLengths;
      for (let d = 0; d < mask.length; d++) {
        if (!mask[d]) continue;
        live++;
        length += at(lengths, d);
      }
      this.segments.push({ reader, live: mask, norm: new Float32Array(0), base });
      base += mask.length;
    }
    this.liveDocs = live;
    this.averageLength = live ? length / live : 1;
    for (const segment of this.segments) {
      const lengths = segment.reader.lexicon.docLengths;
      segment.norm = Float32Array.from(lengths, (n) => K1 * (1 - B + (B * n) / this.averageLength));
    }
    this.totals = new Float32Array(base);
    this.touched = new Uint32Array(base);
  }

  /**
   * Masks an article's passages from here on (its stored text failed its checksum). The BM25 statistics
   * keep counting it: one article changes them by a hair, and only until the repair.
   */
  exclude(reader: SegmentReader, entry: CatalogEntry): void {
    this.segments
      .find((s) => s.reader === reader)
      ?.live.fill(0, entry.firstDoc, entry.firstDoc + entry.passageCount);
  }

  /** The segment and document of a passage handle. */
  locate(handle: number): { reader: SegmentReader; doc: number } {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segments[mid] as LiveSegment).base <= handle) lo = mid;
      else hi = mid - 1;
    }
    const segment = this.segments[lo] as LiveSegment;
    return { reader: segment.reader, doc: handle - segment.base };
  }

  /** The handle of document `doc` of a segment (for passages found by the vector side). */
  handleOf(reader: SegmentReader, doc: number): number | null {
    const segment = this.segments.find((s) => s.reader === reader);
    return segment ? segment.base + doc : null;
  }

  /** The best passages sharing terms with the question (each distinct term counted once). */
  async search(query: LexicalQuery): Promise<LexicalResult> {
    const terms = [...new Set(query.terms)];
    const spellings = query.spellings ?? [];
    const wanted = [...new Set([...terms, ...spellings.flatMap((s) => [...s.from, ...s.to])])];
    const fetched = new Map(
      await Promise.all(
        wanted.map(
          async (term) =>
            [term, await Promise.all(this.segments.map((s) => s.reader.lexicon.postings(term)))] as const,
        ),
      ),
    );
    const found = terms.map((term) => fetched.get(term) as Array<Postings | null>);
    // From here on nothing awaits, so the shared accumulator is never used by two questions at once.
    const totals = this.totals;
    const touchedAll = this.touched;
    let touchedCount = 0;
    const idf = new Map<string, number>();
    let ideal = 0;
    terms.forEach((term, t) => {
      const perSegment = found[t] as Array<Postings | null>;
      const termIdf = this.idfFrom(perSegment);
      idf.set(term, termIdf);
      ideal += termIdf;
      const scale = termIdf * (K1 + 1);
      perSegment.forEach((postings, s) => {
        if (!postings) return;
        const { live, base, norm } = this.segments[s] as LiveSegment;
        const { docs, tfs } = postings;
        for (let i = 0; i < docs.length; i++) {
          const doc = at(docs, i);
          if (!live[doc]) continue;
          const tf = at(tfs, i);
          const handle = base + doc;
          const before = at(totals, handle);
          if (before === 0) touchedAll[touchedCount++] = handle;
          totals[handle] = before + (scale * tf) / (tf + at(norm, doc));
        }
      });
    });
    for (const spelling of spellings) {
      const written = this.scoreMap(spelling.from, fetched);
      const other = this.scoreMap(spelling.to, fetched);
      if (other.ideal <= 0) continue;
      for (const [handle, score] of other.scores) {
        const credit = (score / other.ideal) * written.ideal;
        const own = written.scores.get(handle) ?? 0;
        if (credit <= own) continue;
        const before = at(totals, handle);
        if (before === 0) touchedAll[touchedCount++] = handle;
        totals[handle] = before + credit - own;
      }
    }
    const touched = Array.from(touchedAll.subarray(0, touchedCount));
    try {
      return { hits: this.best(touched, query), ideal, idf };
    } finally {
      for (let i = 0; i < touchedCount; i++) totals[touchedAll[i] as number] = 0;
    }
  }

  /** BM25 of each live passage holding any of `terms`, with those terms' ideal score (postings given). */
  private scoreMap(
    terms: readonly string[],
    fetched: ReadonlyMap<string, Array<Postings | null>>,
  ): { scores: Map<number, number>; ideal: number } {
    const scores = new Map<number, number>();
    let ideal = 0;
    for (const term of new Set(terms)) {
      const perSegment = fetched.get(term) ?? [];
      const termIdf = this.idfFrom(perSegment);
      ideal += termIdf;
      const scale = termIdf * (K1 + 1);
      perSegment.forEach((postings, s) => {
        if (!postings) return;
        const { live, base, norm } = this.segments[s] as LiveSegment;
        for (let i = 0; i < postings.docs.length; i++) {
          const doc = at(postings.docs, i);
          if (!live[doc]) continue;
          const tf = at(postings.tfs, i);
          const handle = base + doc;
          scores.set(handle, (scores.get(handle) ?? 0) + (scale * tf) / (tf + at(norm, doc)));
        }
      });
    }
    return { scores, ideal };
  }

  /** Whether any segment's passages use `term` (masked ones included: a cheap, in-memory check). */
  knows(term: string): boolean {
    return this.segments.some((s) => s.reader.lexicon.has(term));
  }

  /** The live articles whose text uses `term`. */
  async articlesWith(term: string): Promise<Set<string>> {
    const out = new Set<string>();
    await Promise.all(
      this.segments.map(async ({ reader, live }) => {
        const postings = await reader.lexicon.postings(term);
        if (!postings) return;
        for (const doc of postings.docs) {
          if (!live[doc]) continue;
          const entry = reader.catalog[at(reader.lexicon.docArticle, doc)];
          if (entry) out.add(entry.id);
        }
      }),
    );
    return out;
  }

  /** Inverse document frequency of terms (a term the archive never uses gets the highest value). */
  async idf(terms: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const term of new Set(terms)) {
      const perSegment = await Promise.all(this.segments.map((s) => s.reader.lexicon.postings(term)));
      out.set(term, this.idfFrom(perSegment));
    }
    return out;
  }

  private idfFrom(perSegment: Array<Postings | null>): number {
    let df = 0;
    perSegment.forEach((postings, s) => {
      if (!postings) return;
      const { live } = this.segments[s] as LiveSegment;
      for (let i = 0; i < postings.docs.length; i++) if (live[at(postings.docs, i)]) df++;
    });
    return Math.log(1 + (this.liveDocs - df + 0.5) / (df + 0.5));
  }

  /** The `limit` best touched passages that pass the filter, at most `perArticle` of one article. */
  private best(touched: number[], query: LexicalQuery): LexicalHit[] {
    const totals = this.totals;
    const byScore = (a: number, b: number) => at(totals, b) - at(totals, a) || a - b;
    // Usually the best few thousand are enough; a narrow filter may need the whole list.
    const shortlist = Math.max(query.limit * 8, 1024);
    const ordered = touched.length > shortlist ? topK(touched, shortlist, totals) : touched.sort(byScore);
    const hits = this.take(ordered, query);
    if (hits.length >= query.limit || ordered.length === touched.length) return hits;
    return this.take(touched.sort(byScore), query);
  }

  private take(ordered: number[], query: LexicalQuery): LexicalHit[] {
    const hits: LexicalHit[] = [];
    const perArticle = new Map<CatalogEntry, number>();
    for (const handle of ordered) {
      const { reader, doc } = this.locate(handle);
      const article = reader.catalog[at(reader.lexicon.docArticle, doc)];
      if (!article) continue;
      const taken = perArticle.get(article) ?? 0;
      if (taken >= query.perArticle) continue;
      if (query.allow && taken === 0 && !query.allow(article)) {
        perArticle.set(article, Number.POSITIVE_INFINITY);
        continue;
      }
      perArticle.set(article, taken + 1);
      hits.push({ handle, score: at(this.totals, handle), article, passage: doc - article.firstDoc });
      if (hits.length >= query.limit) break;
    }
    return hits;
  }
}

/**
 * The k handles with the highest totals, best first: the k-th largest total is found by quickselect on a
 * typed copy (linear time, no allocation per handle), then only the handles at or above it are sorted.
 */
export function topK(handles: number[], k: number, totals: Float32Array): number[] {
  if (k >= handles.length)
    return [...handles].sort((a, b) => (totals[b] as number) - (totals[a] as number) || a - b);
  const scores = new Float32Array(handles.length);
  for (let i = 0; i < handles.length; i++) scores[i] = totals[handles[i] as number] as number;
  const threshold = kthLargest(scores, k);
  // Strictly above the threshold, then ties in handle order up to k (many passages may tie exactly).
  const above: number[] = [];
  const tied: number[] = [];
  for (const h of handles) {
    const score = totals[h] as number;
    if (score > threshold) above.push(h);
    else if (score === threshold) tied.push(h);
  }
  above.sort((a, b) => (totals[b] as number) - (totals[a] as number) || a - b);
  tied.sort((a, b) => a - b);
  return [...above, ...tied].slice(0, k);
}

/** The k-th largest value of `values` (which it reorders): Hoare's quickselect. */
function kthLargest(values: Float32Array, k: number): number {
  const target = values.length - k; // index of the k-th largest in ascending order
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target] as number;
}
