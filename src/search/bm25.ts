/**
 * Okapi BM25 over documents given as term lists (passages, here). Scores are returned with the query's
 * ideal score, the score a document of average length matching each query term once would get, so that
 * callers can read a score as "how much of the question this passage covers".
 */
export class Bm25Index {
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly lengths: Float32Array;
  private readonly averageLength: number;

  constructor(
    documents: string[][],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.lengths = Float32Array.from(documents, (terms) => terms.length);
    this.averageLength = documents.length
      ? documents.reduce((n, d) => n + d.length, 0) / documents.length
      : 1;
    documents.forEach((terms, doc) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const posting = this.postings.get(term) ?? { docs: [], tfs: [] };
        this.postings.set(term, posting);
        posting.docs.push(doc);
        posting.tfs.push(tf);
      }
    });
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Inverse document frequency; a term the archive never uses gets the highest value. */
  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** BM25 of every document that shares a term with the query (each distinct query term counted once). */
  score(queryTerms: string[]): { scores: Map<number, number>; ideal: number } {
    const scores = new Map<number, number>();
    let ideal = 0;
    for (const term of new Set(queryTerms)) {
      const idf = this.idf(term);
      ideal += idf;
      const posting = this.postings.get(term);
      if (!posting) continue;
      for (let i = 0; i < posting.docs.length; i++) {
        const doc = posting.docs[i] as number;
        const tf = posting.tfs[i] as number;
        const norm = 1 - this.b + (this.b * (this.lengths[doc] as number)) / this.averageLength;
        const gain = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm);
        scores.set(doc, (scores.get(doc) ?? 0) + gain);
      }
    }
    return { scores, ideal };
  }
}
