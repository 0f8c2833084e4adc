import type { ParsedFile } from './article.js';
import { toAuthor, toBody, toIsoDate, toLine, toUrl } from './fields.js';
import { splitFrontMatter } from './front-matter.js';
import { splitPages } from './pages.js';

/**
 * Markdown with YAML front matter (`title`, `date`, `outlet` or `source`, `url`, `author`).
 * Without a `title`, a leading `# Heading` is the title and leaves the body. Form feeds mark page ends
 * (Clipdesk writes the text of a PDF it fetched so): the article then knows its pages.
 */
export function parseMarkdownArticle(text: string, source: string): ParsedFile {
  const parsed = splitFrontMatter(text);
  if (!parsed.ok) return { articles: [], skipped: [{ source, reason: parsed.reason }] };
  const { data } = parsed;
  const paged = splitPages(parsed.content.replace(/\r\n?/g, '\n'));
  let body = toBody(paged.text);
  let pages = paged.pages;
  let title = toLine(data.title);
  if (!title) {
    const heading = /^#\s+(.+)\n*/.exec(body);
    if (heading) {
      title = toLine(heading[1]);
      const rest = body.slice(heading[0].length);
      const cut = heading[0].length + rest.length - rest.trimStart().length;
      body = rest.trim();
      pages = pages?.map((start) => Math.max(0, start - cut));
    }
  }
  if (!title)
    return {
      articles: [],
      skipped: [{ source, reason: 'no title (front matter `title` or a leading # heading)' }],
    };
  if (body === '') return { articles: [], skipped: [{ source, reason: 'no body text' }] };
  return {
    articles: [
      {
        source,
        title,
        date: toIsoDate(data.date ?? data.published),
        outlet: toLine(data.outlet ?? data.source ?? data.publisher),
        url: toUrl(data.url ?? data.link),
        author: toAuthor(data.author ?? data.authors ?? data.byline),
        body,
        ...(pages ? { pages } : {}),
      },
    ],
    skipped: [],
  };
}
