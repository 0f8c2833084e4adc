/** Pages of an article read from a paged document: where each page starts in its body. */

/** The pages a stretch of text lies on, 1-based and inclusive (`first === last` for one page). */
export interface PageSpan {
  first: number;
  last: number;
}

/** The page (1-based) holding the character at `offset`: the last page that starts at or before it. */
export function pageAt(pages: readonly number[], offset: number): number {
  let lo = 0;
  let hi = pages.length;
  // The number of page starts <= offset: empty pages (two equal starts) give way to the later one.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((pages[mid] as number) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(1, lo);
}

/** The pages `body.slice(start, end)` lies on, or null when the article has no pages. */
export function pageSpan(pages: readonly number[] | undefined, start: number, end: number): PageSpan | null {
  if (!pages || pages.length === 0) return null;
  return { first: pageAt(pages, start), last: pageAt(pages, Math.max(start, end - 1)) };
}

/** "p. 4", or "pp. 4–5" for a span over two or more pages. */
export function formatPages(span: PageSpan): string {
  return span.first === span.last ? `p. ${span.first}` : `pp. ${span.first}–${span.last}`;
}

/**
 * Text with a form feed (U+000C) ending each page, as `pdftotext` writes it and as Clipdesk writes the text
 * of a PDF it fetched: the text without them, and where each page starts. A form feed next to white space
 * is dropped; one between two visible characters becomes a line break, so that two pages never run
 * together. The text is trimmed (page starts move with it); empty pages at the end are not counted. Text
 * without a form feed has no pages.
 */
export function splitPages(text: string): { text: string; pages: number[] | undefined } {
  if (!text.includes('\f')) return { text, pages: undefined };
  const starts = [0];
  let out = '';
  let from = 0;
  for (let at = text.indexOf('\f'); at !== -1; at = text.indexOf('\f', from)) {
    out += text.slice(from, at);
    const before = text[at - 1];
    const after = text[at + 1];
    if (before !== undefined && after !== undefined && /\S/.test(before) && /[^\s\f]/.test(after))
      out += '\n';
    starts.push(out.length);
    from = at + 1;
  }
  out += text.slice(from);
  const lead = out.length - out.trimStart().length;
  const trimmed = out.trim();
  // A page starts at its first visible character (the line break before it belongs to no page).
  const pages = starts.map((p) => {
    let at = Math.min(Math.max(0, p - lead), trimmed.length);
    while (at < trimmed.length && /\s/.test(trimmed[at] as string)) at++;
    return at;
  });
  while (pages.length > 1 && (pages.at(-1) as number) >= trimmed.length) pages.pop();
  pages[0] = 0;
  return { text: trimmed, pages };
}

/**
 * Pages as form feeds (the inverse of `splitPages`): each page, the last one included, ends with one, so
 * that even a one-page document keeps its page. Used for the Markdown file Clipdesk writes for a PDF it
 * fetched (written with its ends kept: see `renderArticleMarkdown`).
 */
export function joinPages(text: string, pages: readonly number[] | undefined): string {
  if (!pages || pages.length === 0) return text;
  let out = '';
  let from = 0;
  for (const start of pages.slice(1)) {
    out += `${text.slice(from, start)}\f`;
    from = start;
  }
  return `${out}${text.slice(from)}\f`;
}
