import type { ParsedFile } from './article.js';
import { toBody } from './fields.js';
import { extractPage } from './html-extract.js';

/**
 * A saved web page (`.html`/`.htm`): the readable article text, with title, outlet, date, author and url
 * from its `<meta>` tags and JSON-LD. Nothing in the page is run.
 */
export function parseHtmlArticle(text: string, source: string): ParsedFile {
  const page = extractPage(text);
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  if (!page.title) return skip('no title (<title>, og:title or JSON-LD headline)');
  const body = toBody(page.text);
  if (body === '') return skip('no readable text in the page');
  return {
    articles: [
      {
        source,
        title: page.title,
        date: page.date,
        outlet: page.outlet,
        url: page.url,
        author: page.author,
        body,
      },
    ],
    skipped: [],
  };
}
