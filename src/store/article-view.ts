import type { Article } from '../corpus/article.js';
import { type PageSpan, pageSpan } from '../corpus/pages.js';
import type { SpeakerCounts, StoredQuote } from '../quotes/stored.js';
import { at } from '../util/checked.js';
import { dotRow, type QuantizedMatrix } from '../vectors/sentence-vectors.js';

/** The corpus file an article was read from, as last seen: an unchanged stamp means no re-read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** SHA-256 of the file's bytes: a touched but unchanged file is not parsed again. */
  hash: string;
}

/** What the archive keeps in memory about every article: everything but its text, pages and vectors. */
export interface ArticleMeta extends Omit<Article, 'body' | 'pages'> {
  /** When the article first entered the archive (ISO); updates, rebuilds and moves keep it. */
  addedAt: string;
  file: FileStamp | null;
  /** How many quotations each speaker has in this article (absent: written before quotes were extracted). */
  speakers?: SpeakerCounts;
  passageCount: number;
  sentenceCount: number;
}

/** An article's text and where its sentences and passages lie, as stored on disk. */
export interface ArticleText {
  body: string;
  /** Flat [start0, end0, start1, end1, ...] character offsets of the sentences in `body`. */
  sentences: number[];
  /** Flat [first0, last0, ...] inclusive sentence ranges of the passages. */
  passages: number[];
  /** Where each page starts in `body`, for an article from a paged document (PDF); absent otherwise. */
  pages?: number[];
  /** Direct quotations in `body` (src/quotes); absent in records written before quotes were extracted. */
  quotes?: StoredQuote[];
}

export interface Span {
  start: number;
  end: number;
}

/** The passage id used in vector stores and feedback: `<articleId>:<passage>`. */
export function passageId(articleId: string, passage: number): string {
  return `${articleId}:${passage}`;
}

/**
 * One stored article with its text, read through accessors instead of flat offset arrays: sentence `i`
 * is `body.slice(sentence(i).start, sentence(i).end)`, passage `p` covers sentences
 * `passage(p).first..last`, and each sentence has a unit vector (int8) for quote picking.
 */
export class ArticleView {
  constructor(
    readonly meta: ArticleMeta,
    private readonly text: ArticleText,
    /** This article's sentence vectors only: row i is sentence i. */
    private readonly sentenceVectors: QuantizedMatrix,
  ) {}

  get id(): string {
    return this.meta.id;
  }

  get title(): string {
    return this.meta.title;
  }

  get body(): string {
    return this.text.body;
  }

  get sentenceCount(): number {
    return this.text.sentences.length / 2;
  }

  get passageCount(): number {
    return this.text.passages.length / 2;
  }

  sentence(i: number): Span {
    return { start: at(this.text.sentences, 2 * i), end: at(this.text.sentences, 2 * i + 1) };
  }

  /** The article's direct quotations (offsets into `body`). */
  get quotes(): readonly StoredQuote[] {
    return this.text.quotes ?? [];
  }

  /** The sentence holding offset `at` (-1 when none does). */
  sentenceAt(at: number): number {
    for (let i = 0; i < this.sentenceCount; i++) {
      const { start, end } = this.sentence(i);
      if (at >= start && at < end) return i;
    }
    return -1;
  }

  sentenceText(i: number): string {
    const { start, end } = this.sentence(i);
    return this.text.body.slice(start, end);
  }

  /** Characters from the start of sentence `first` to the end of sentence `last`. */
  spanOf(first: number, last: number): Span {
    return { start: this.sentence(first).start, end: this.sentence(last).end };
  }

  passage(p: number): { first: number; last: number } {
    return { first: at(this.text.passages, 2 * p), last: at(this.text.passages, 2 * p + 1) };
  }

  passageId(p: number): string {
    return passageId(this.meta.id, p);
  }

  /** The pages `span` lies on, or null when the article is not from a paged document. */
  pagesOf(span: Span): PageSpan | null {
    return pageSpan(this.text.pages, span.start, span.end);
  }

  /** Dot product of sentence `i`'s unit vector with a (unit) query vector. */
  sentenceSimilarity(i: number, query: Float32Array): number {
    if (i < 0 || i >= this.sentenceVectors.rows) return 0;
    return dotRow(this.sentenceVectors, i, query);
  }
}
