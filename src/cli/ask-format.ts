import path from 'node:path';
import type { Excerpt, SearchResponse } from '../search/excerpt.js';

/** One result as `npm run ask -- --json` prints it; `file` is relative to the project root. */
export type JsonResult = { file: string } & Pick<
  Excerpt,
  'title' | 'outlet' | 'date' | 'url' | 'quote' | 'start' | 'end' | 'score'
>;

/** The article's file relative to `root` (the record key of a .json/.jsonl source is dropped). */
export function fileOf(excerpt: Excerpt, corpusDir: string, root: string): string {
  const file = excerpt.source.replace(/#.*$/, '');
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
export function toText(response: SearchResponse, corpusDir: string, root: string): string {
  if (response.results.length === 0) {
    return `No article in the archive answers "${response.question}".\nTry other words, or list what the archive holds with /sources in Discord.\n`;
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
