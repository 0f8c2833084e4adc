import path from 'node:path';
import { formatPages } from '../corpus/pages.js';
import type { ArticleRef, Excerpt, SearchResponse } from '../search/excerpt.js';
import type { SearchFilters } from '../search/filters.js';
import { printableName } from '../util/printable.js';

/** An article as `npm run ask -- --json` names it; `file` is relative to the project root. */
export type JsonArticle = { file: string } & Pick<ArticleRef, 'title' | 'outlet' | 'date' | 'url'>;

/**
 * One result as `npm run ask -- --json` prints it, with the near-identical articles folded into it.
 * `page` is the page the quote starts on and `lastPage` the one it ends on (the same unless the quote runs
 * over a page break), for an article from a paged document (PDF); both are null for any other article.
 */
export type JsonResult = JsonArticle &
  Pick<Excerpt, 'quote' | 'start' | 'end' | 'score'> & {
    page: number | null;
    lastPage: number | null;
    alsoIn: JsonArticle[];
  };

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
      ...jsonArticle(r, corpusDir, root),
      quote: r.quote,
      start: r.start,
      end: r.end,
      page: r.pages?.first ?? null,
      lastPage: r.pages?.last ?? null,
      score: r.score,
      strength: r.strength,
      alsoIn: r.alsoIn.map((other) => jsonArticle(other, corpusDir, root)),
    })),
  };
}

function jsonArticle(article: ArticleRef, corpusDir: string, root: string): JsonArticle {
  return {
    file: fileOf(article, corpusDir, root),
    title: article.title,
    outlet: article.outlet,
    date: article.date,
    url: article.url,
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
  const source = (a: ArticleRef) => [a.outlet ?? 'outlet unknown', a.date ?? 'undated'].join(', ');
  const where = (a: ArticleRef) =>
    [printableName(fileOf(a, corpusDir, root)), a.url].filter(Boolean).join('  ');
  const blocks = response.results.map((r, i) => {
    const quote = r.quote
      .split('\n')
      .map((line) => `   > ${line}`)
      .join('\n');
    const alsoIn = r.alsoIn.map((o) => `\n   also in: ${o.title} (${source(o)})  ${where(o)}`).join('');
    const pages = r.pages ? `, ${formatPages(r.pages)}` : '';
    return `${i + 1}. ${r.title} (${source(r)}${pages})\n${quote}\n   ${where(r)}${alsoIn}`;
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
