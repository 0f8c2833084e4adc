import { Bm25Index } from './bm25.js';
import type { IndexSnapshot, Manifest, StoredArticle } from './index-store.js';
import type { QuantizedMatrix } from './sentence-vectors.js';
import { analyze } from './terms.js';

/** A passage as the search sees it: which article, which sentences, and its vector in vectra. */
export interface PassageRef {
  itemId: string;
  article: number;
  first: number;
  last: number;
}

/**
 * A loaded index generation with what the query path needs built once: the lexical index over passages,
 * analysed sentence terms for quotes, and passage vectors by vectra item id.
 */
export class SearchIndex {
  private constructor(
    readonly snapshot: IndexSnapshot,
    readonly passages: PassageRef[],
    readonly passageByItem: Map<string, number>,
    readonly vectorByItem: Map<string, number[]>,
    /** Terms of every sentence, indexed like sentence-vector rows (article.sentenceRow + sentence). */
    readonly sentenceTerms: string[][],
    readonly bm25: Bm25Index,
  ) {}

  static async build(snapshot: IndexSnapshot): Promise<SearchIndex> {
    const passages: PassageRef[] = [];
    const sentenceTerms: string[][] = [];
    snapshot.articles.forEach((article, a) => {
      for (let s = 0; s < article.sentences.length / 2; s++) {
        sentenceTerms.push(
          analyze(article.body.slice(article.sentences[2 * s], article.sentences[2 * s + 1])),
        );
      }
      for (let p = 0; p < article.passages.length / 2; p++) {
        passages.push({
          itemId: `${article.id}:${p}`,
          article: a,
          first: article.passages[2 * p] as number,
          last: article.passages[2 * p + 1] as number,
        });
      }
    });
    const passageTerms = passages.map((p) => {
      const row = (snapshot.articles[p.article] as StoredArticle).sentenceRow;
      return sentenceTerms.slice(row + p.first, row + p.last + 1).flat();
    });
    const items = await snapshot.vectra.listItems();
    const vectorByItem = new Map(items.map((item) => [item.id, item.vector]));
    const passageByItem = new Map(passages.map((p, i) => [p.itemId, i]));
    return new SearchIndex(
      snapshot,
      passages,
      passageByItem,
      vectorByItem,
      sentenceTerms,
      new Bm25Index(passageTerms),
    );
  }

  get manifest(): Manifest {
    return this.snapshot.manifest;
  }

  get articles(): StoredArticle[] {
    return this.snapshot.articles;
  }

  get sentenceVectors(): QuantizedMatrix {
    return this.snapshot.sentenceVectors;
  }
}
