import type { ParsedFile } from './article.js';
import { toBody, toIsoDate, toLine, toUrl } from './fields.js';
import { splitPages } from './pages.js';

/**
 * Plain-text articles as newsroom exports and scrapes deliver them:
 *
 *   ` date 2024-08-29 Title`                          a header line carrying the date and the title
 *   `Title` / `2022-03-15 10:09:55   Source: Outlet`   a title, then a date/source line
 *   `Title`                                           a bare title
 *
 * followed by optional byline lines (`(Xinhua) 08:35, August 28, 2024`, `By Jane Doe`, `URL: ...`),
 * the body, and trailing web boilerplate (`(Web editor: ...)`, `Editor in charge: ...`, `Sponsor: ...`).
 * Header and boilerplate lines leave the body; the outlet falls back to a wire dateline such as
 * `LHASA, Aug. 28 (Xinhua) --`, which stays in the body because it is part of the article.
 */
/** A first line longer than this is body text, not a title. */
const MAX_TITLE_CHARS = 300;

export function parseTextArticle(text: string, source: string): ParsedFile {
  const lines = toBody(text).split('\n');
  const header: {
    title: string | null;
    date: string | null;
    outlet: string | null;
    url: string | null;
    author: string | null;
  } = { title: null, date: null, outlet: null, url: null, author: null };

  let i = 0;
  const first = lines[i] ?? '';
  const dated = /^\s*date:?\s+(\d{4}-\d{2}-\d{2})\s+(.+)$/i.exec(first);
  if (dated) {
    header.date = toIsoDate(dated[1]);
    header.title = toLine(dated[2]);
    i++;
  } else if (first.length <= MAX_TITLE_CHARS) {
    // `2005-02-10 Fox attacks …`, `10 February 2005 - Title`, `Feb. 10, 2005: Title`: the date leaves the title.
    const lead = leadingDate(first);
    header.date = lead?.date ?? null;
    header.title = toLine(lead ? lead.rest : first);
    i++;
  } else {
    // No title line: the first line is already body text. Name the article after its file.
    header.title = toLine(
      source
        .replace(/^.*\//, '')
        .replace(/\.[^.]+$/, '')
        .replace(/[_-]+/g, ' '),
    );
  }

  // Metadata lines directly under the title (blank lines between them are allowed).
  for (let seen = 0; i < lines.length && seen < 4; i++) {
    const line = (lines[i] ?? '').replace(/\u00a0/g, ' ').trim();
    if (line === '') continue;
    if (!readHeaderLine(line, header)) break;
    seen++;
  }

  const bodyLines = lines.slice(i);
  dropTrailingBoilerplate(bodyLines);
  // Form feeds between pages (as pdftotext writes them) give the article its pages.
  const { text: body, pages } = splitPages(bodyLines.join('\n').trim());

  if (!header.title) return { articles: [], skipped: [{ source, reason: 'no title line' }] };
  if (body === '') return { articles: [], skipped: [{ source, reason: 'no body text after the title' }] };

  header.outlet ??= outletFromDateline(body);
  return {
    articles: [
      {
        source,
        title: header.title,
        date: header.date,
        outlet: header.outlet,
        url: header.url,
        author: header.author,
        body,
        ...(pages ? { pages } : {}),
      },
    ],
    skipped: [],
  };
}

type Header = { date: string | null; outlet: string | null; url: string | null; author: string | null };

/** Consumes one header line into `header`; false when the line is body text. */
function readHeaderLine(line: string, header: Header): boolean {
  // `2022-03-15 10:09:55   Source: Zhejiang Online`, `2022-03-15`, `Source: X`
  const dateSource =
    /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:(?:Source|From):\s*(.+))?$/i.exec(line);
  if (dateSource) {
    header.date ??= toIsoDate(dateSource[1]);
    if (dateSource[2]) header.outlet ??= toLine(dateSource[2]);
    return true;
  }
  const sourceOnly = /^(?:Source|Publisher|Outlet):\s*(.+)$/i.exec(line);
  if (sourceOnly) {
    header.outlet ??= toLine(sourceOnly[1]);
    return true;
  }
  // Web byline: `(Xinhua) 08:35, August 28, 2024` (the opening parenthesis is often lost in scraping).
  const webByline =
    /^\(?([A-Z][\w .&'-]{1,40})\)\s+\d{1,2}:\d{2},?\s+([A-Za-z]{3,9}\.? \d{1,2},? \d{4})$/.exec(line);
  if (webByline) {
    header.outlet ??= toLine(webByline[1]);
    header.date ??= toIsoDate(webByline[2]);
    return true;
  }
  const url = /^(?:URL:\s*)?(https?:\/\/\S+)$/i.exec(line);
  if (url) {
    header.url ??= toUrl(url[1]);
    return true;
  }
  const author = byline(line);
  if (author) {
    header.author ??= author.author;
    if (author.date) header.date ??= author.date;
    return true;
  }
  return false;
}

/** The dates a title line may start with: ISO (`2005-02-10`, `2005/02/10`), `10 February 2005`, `Feb. 10, 2005`. */
const LEADING_DATE =
  /^\s*(\d{4}[-/]\d{2}[-/]\d{2}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})(?:\s*[-–—:|]\s*|\s+)(\S.*)$/;

/** A date at the start of a title line and the title after it, or null (`1984 Revisited` keeps its year). */
export function leadingDate(line: string): { date: string; rest: string } | null {
  const m = LEADING_DATE.exec(line);
  if (!m) return null;
  const date = toIsoDate((m[1] as string).replace(/\//g, '-'));
  return date ? { date, rest: m[2] as string } : null;
}

/**
 * A byline under the title: `By Jane Doe`, `By Jane Doe and John Roe`, `By Political reporter`,
 * `By Alex Kim, 21 October 2025` (the date is taken too). Short, no sentence end, at most eight words:
 * `By early 2005 the net could have two new domain names.` is body text.
 */
export function byline(line: string): { author: string; date: string | null } | null {
  if (line.length > 80) return null;
  const m = /^By\s+([A-Z][^,.!?;:"“”]*?)(?:,\s*(.+?))?\s*$/.exec(line);
  if (!m) return null;
  const name = (m[1] as string).trim();
  const words = name.split(/\s+/);
  if (words.length > 8 || /\d/.test(name)) return null;
  // Every word is capitalised, or it is a role: `Political reporter`, `Our correspondent`, `BBC News staff`.
  const role = /\b(?:reporter|correspondent|editor|staff|writer|journalist|team|desk|analyst|producer)s?$/i;
  const named = words.every((w) => /^(?:[A-Z][\w.'’-]*|and|de|van|von|da|del|of|the|&)$/.test(w));
  if (!named && !role.test(name)) return null;
  const rest = m[2]?.trim() ?? null;
  if (rest === null) return { author: toLine(name) ?? name, date: null };
  const date = toIsoDate(rest);
  // `By Jane Doe, Rome correspondent`: the part after the comma belongs to the byline when it is short.
  if (date) return { author: toLine(name) ?? name, date };
  if (/[.!?]$/.test(rest) || rest.split(/\s+/).length > 5) return null;
  return { author: toLine(`${name}, ${rest}`) ?? name, date: null };
}

/** Editor credits and site footers that scrapes append after the article. */
const BOILERPLATE =
  /^\(?\s*(?:web editor|editor in charge|responsible editor|editors?|sponsor|website id|technical support|copyright|all rights reserved|address|tel|contact us|record no|public security record)\b.*$/i;

function dropTrailingBoilerplate(lines: string[]): void {
  while (lines.length > 0) {
    const last = (lines[lines.length - 1] ?? '').replace(/\u00a0/g, ' ').trim();
    if (last === '' || BOILERPLATE.test(last)) lines.pop();
    else break;
  }
}

/** `LHASA, Aug. 28 (Xinhua) --` or `HOTAN, Xinjiang, July 9 (Xinhua) --` in the first paragraphs. */
export function outletFromDateline(body: string): string | null {
  const head = body
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 4);
  for (const line of head) {
    const m =
      /^[A-Z][A-Z .'-]+(?:,\s*[A-Z][A-Za-z .'-]+)?,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\(([^)]{2,40})\)\s*(?:--|—|–)/.exec(
        line,
      );
    if (m) return toLine(m[1]);
  }
  return null;
}
