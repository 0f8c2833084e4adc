import type { ParsedFile } from './article.js';
import { toAuthor, toBody, toIsoDate, toLine, toUrl } from './fields.js';
import { splitFrontMatter } from './front-matter.js';

/**
 * Markdown with YAML front matter (`title`, `date`, `outlet` or `source`, `url`, `author`).
 * Without a `title`, a leading `# Heading` is the title and leaves the body.
 */
export function parseMarkdownArticle(text: string, source: string): ParsedFile {
  const parsed = splitFrontMatter(text);
  if (!parsed.ok) return { articles: [], skipped: [{ source, reason: parsed.reason }] };
  const { data } = parsed;
  let body = toBody(parsed.content);
  let title = toLine(data.title);
  if (!title) {
    const heading = /^#\s+(.+)\n*/.exec(body);
    if (heading) {
      title = toLine(heading[1]);
      body = body.slice(heading[0].length).trim();
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
      },
    ],
    skipped: [],
  };
}
