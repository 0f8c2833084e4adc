import { UserFacingError } from '../errors.js';
import { matchOutlet, outletProblem } from '../search/outlet-match.js';
import { printableName } from '../util/printable.js';
import { fileOf } from './ask-format.js';

/** What the archive listing shows of an article. */
export interface ListedArticle {
  source: string;
  title: string;
  outlet: string | null;
  date: string | null;
  url: string | null;
}

export interface ArchiveList {
  /** The outlet asked for, as the archive spells it; null for every outlet. */
  outlet: string | null;
  /** Newest first; undated articles last, then by title. */
  articles: ListedArticle[];
}

/** The archive's articles, newest first, restricted to one outlet (matched without regard to case). */
export function listArchive(articles: readonly ListedArticle[], outlet: string | null): ArchiveList {
  let canonical: string | null = null;
  if (outlet !== null) {
    const known = articles.map((a) => a.outlet).filter((o): o is string => o !== null);
    const match = matchOutlet(outlet, known);
    if (match.kind !== 'one') {
      throw new UserFacingError(
        outletProblem(outlet, match, ' `npm run sources` lists every article with its outlet.') ?? outlet,
      );
    }
    canonical = match.outlet;
  }
  const listed = articles
    .filter((a) => canonical === null || a.outlet === canonical)
    .map(({ source, title, outlet, date, url }) => ({ source, title, outlet, date, url }))
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
  return { outlet: canonical, articles: listed };
}

/** `npm run sources -- --json`: one JSON document; `file` is relative to the project root. */
export function archiveToJson(list: ArchiveList, corpusDir: string, root: string) {
  return {
    outlet: list.outlet,
    total: list.articles.length,
    articles: list.articles.map((a) => ({
      file: fileOf(a, corpusDir, root),
      title: a.title,
      outlet: a.outlet,
      date: a.date,
      url: a.url,
    })),
  };
}

/** Numbered lines for a person: title (outlet, date), then the file and the link. */
export function archiveToText(list: ArchiveList, corpusDir: string, root: string): string {
  const n = list.articles.length;
  const from = list.outlet ? ` from ${list.outlet}` : '';
  if (n === 0) return 'The archive is empty. Add articles to the corpus folder and run `npm run ingest`.\n';
  const lines = list.articles.map((a, i) => {
    const source = [a.outlet ?? 'outlet unknown', a.date ?? 'undated'].join(', ');
    const where = [printableName(fileOf(a, corpusDir, root)), a.url].filter(Boolean).join('  ');
    return `${i + 1}. ${a.title} (${source})\n   ${where}`;
  });
  return `${n} article${n === 1 ? '' : 's'}${from} in the archive, newest first:\n\n${lines.join('\n')}\n`;
}
