import path from 'node:path';
import type { Excerpt, SearchResponse } from '../search/excerpt.js';
import type { SearchFilters } from '../search/filters.js';

/** One result as `npm run ask -- --json` prints it; `file` is relative to the project root. */
export type JsonResult = { file: string } & Pick<
  Excerpt,
  'title' | 'outlet' | 'date' | 'url' | 'quote' | 'start' | 'end' | 'score'
>;

/** The article's file relative to `root` (the record key of a .json/.jsonl source is dropped). */
export function fileOf(article: { source: string }, corpusDir: string, root: string): string {
  const file = article.source.replace(/#.*$/, '');
  return path.relative(root, path.join(corpusDir, file)).split(path.sep).join('/');
}

export function toJson(
  response: SearchResponse,
  corpusDir: string,
  root: string,
): { question: string; results: JsonResult[] } {
  return {
    question: response.question,
    results: response.results.map((r) => ({
      file: fileOf(r, corpusDir, root),
      title: r.title,
      outlet: r.outlet,
      date: r.date,
      url: r.url,
      quote: r.quote,
      start: r.start,
      end: r.end,
      score: r.score,
    })),
  };
}

/** Numbered quotes with their sources, for a person at a terminal. */
export function toText(
  response: SearchResponse,
  corpusDir: string,
  root: string,
  filters: SearchFilters = {},
): string {
  if (response.results.length === 0) {
    const active = describeCliFilters(filters);
    return (
      `No article in the archive answers "${response.question}"${active ? ` (${active})` : ''}.\n` +
      `Try other words${active ? ', or fewer filters' : ''}; \`npm run sources\` lists what the archive holds.\n`
    );
  }
  const blocks = response.results.map((r, i) => {
    const source = [r.outlet ?? 'outlet unknown', r.date ?? 'undated'].join(', ');
    const quote = r.quote
      .split('\n')
      .map((line) => `   > ${line}`)
      .join('\n');
    const where = [fileOf(r, corpusDir, root), r.url].filter(Boolean).join('  ');
    return `${i + 1}. ${r.title} (${source})\n${quote}\n   ${where}`;
  });
  return `${blocks.join('\n\n')}\n`;
}

/** The filters in force, as the options were typed: `only --outlet Xinhua, --since 2024-01-01`. */
export function describeCliFilters(filters: SearchFilters): string | null {
  const parts = [
    filters.outlet ? `--outlet ${filters.outlet}` : null,
    filters.since ? `--since ${filters.since}` : null,
    filters.until ? `--until ${filters.until}` : null,
  ].filter(Boolean);
  return parts.length ? `with ${parts.join(', ')}` : null;
}
