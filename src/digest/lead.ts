import type { StoredArticle } from '../search/index-store.js';

/** A line that ends with a photo credit such as `(Xinhua/Shen Hong)` is a caption, not the story's lead. */
const PHOTO_CREDIT = /\([^()]*\/[^()]*\)\s*$/;
/** A lead longer than this is not a sentence a digest can show whole. */
const MAX_LEAD_CHARS = 1000;

/** The story's opening sentence: the first one outside photo captions (the first sentence if all are). */
export function leadSentence(article: StoredArticle): { start: number; end: number } {
  const count = article.sentences.length / 2;
  for (let s = 0; s < count; s++) {
    const start = article.sentences[2 * s] as number;
    const end = article.sentences[2 * s + 1] as number;
    const lineStart = article.body.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = article.body.indexOf('\n', end);
    const line = article.body.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    if (!PHOTO_CREDIT.test(line) && end - start <= MAX_LEAD_CHARS) return { start, end };
  }
  return { start: article.sentences[0] ?? 0, end: article.sentences[1] ?? 0 };
}
