import type { ArticleView } from '../store/article-view.js';

/** A line that ends with a photo credit such as `(Xinhua/Shen Hong)` is a caption, not the story's lead. */
const PHOTO_CREDIT = /\([^()]*\/[^()]*\)\s*$/;
/** A lead longer than this is not a sentence a digest can show whole. */
const MAX_LEAD_CHARS = 1000;

/** The story's opening sentence: the first one outside photo captions (the first sentence if all are). */
export function leadSentence(article: ArticleView): { start: number; end: number } {
  for (let s = 0; s < article.sentenceCount; s++) {
    const { start, end } = article.sentence(s);
    const lineStart = article.body.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = article.body.indexOf('\n', end);
    const line = article.body.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    if (!PHOTO_CREDIT.test(line) && end - start <= MAX_LEAD_CHARS) return { start, end };
  }
  return article.sentenceCount > 0 ? article.sentence(0) : { start: 0, end: 0 };
}
