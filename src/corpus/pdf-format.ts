import { getDocumentProxy } from 'unpdf';
import { describeError } from '../errors.js';
import type { ParsedFile } from './article.js';
import { dropPageFurniture } from './pdf-furniture.js';
import { type PdfJsMetadata, readPdfMetadata } from './pdf-metadata.js';
import { joinLines, mergeRunOns, type Paragraph, paragraphsOf, runsOn } from './pdf-paragraphs.js';
import { type PageLine, readingOrder } from './pdf-reading-order.js';
import { pageRuns } from './pdf-runs.js';
import type { ReadLimits } from './read-limits.js';

export const NO_TEXT_LAYER = 'no text layer: scanned pages need OCR, which Clipdesk does not do';

/** A PDF's text, page by page, as the corpus keeps it: one paragraph a line, and where each page starts. */
export interface PdfText {
  body: string;
  pages: number[];
  title: string | null;
  date: string | null;
  author: string | null;
  outlet: string | null;
  url: string | null;
  /** Remarks worth a person's attention (pages left out, pages without text). */
  notes: string[];
}

/** True when the bytes are a PDF: `%PDF-` within the first kilobyte, as readers accept it. */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
}

/**
 * A `.pdf` file as one article: its text with Mozilla's pdf.js in reading order (see `readingOrder`), the
 * pages it lies on, and title, date, author and outlet from its metadata (the title else the largest text
 * on the first page with text). A scanned PDF (no text layer), an encrypted one (a password needed) and a damaged one are
 * reported and skipped, and so is one still being read after `maxReadMs`.
 */
export async function parsePdfArticle(
  bytes: Uint8Array,
  source: string,
  limits: ReadLimits,
): Promise<ParsedFile & { note?: string }> {
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  const read = await readPdfText(bytes, limits);
  if (typeof read === 'string') return skip(read);
  if (!read.title) return skip('no title (no metadata title and no text to take one from)');
  const { body, pages, title, date, outlet, url, author, notes } = read;
  return {
    articles: [{ source, title, date, outlet, url, author, body, pages }],
    skipped: [],
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/** The text of a PDF, or the reason it cannot be read. */
export async function readPdfText(bytes: Uint8Array, limits: ReadLimits): Promise<PdfText | string> {
  if (!isPdf(bytes)) return 'not a PDF (the file does not start with %PDF-)';
  const started = limits.now();
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js may take over (detach) the buffer it is given.
    doc = await getDocumentProxy(new Uint8Array(bytes), {
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
    });
  } catch (error) {
    return whyUnreadable(error);
  }
  try {
    const notes: string[] = [];
    const meta = readPdfMetadata((await doc.getMetadata()) as PdfJsMetadata);
    const count = Math.min(doc.numPages, limits.maxPages);
    if (doc.numPages > count)
      notes.push(`read the first ${count} of ${doc.numPages} pages (the page limit); the rest is left out`);
    const pageLines: PageLine[][] = [];
    let chars = 0;
    for (let n = 1; n <= count; n++) {
      if (limits.now() - started > limits.maxReadMs)
        return `still being read after ${Math.round(limits.maxReadMs / 1000)} s (page ${n} of ${doc.numPages}): skipped`;
      if (chars > limits.maxTextChars) {
        notes.push(`read the first ${n - 1} pages (the text limit); the rest is left out`);
        break;
      }
      // pdf.js reads a page without letting timers or I/O run: give the event loop a turn between pages.
      await new Promise((resolve) => setImmediate(resolve));
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      page.cleanup();
      const lines = readingOrder(pageRuns(content.items));
      chars += lines.reduce((sum, l) => sum + l.text.length, 0);
      pageLines.push(lines);
    }
    const cleaned = dropPageFurniture(pageLines);
    const text = assemble(cleaned.map((lines) => mergeRunOns(paragraphsOf(lines))));
    if (text.body.replace(/\s/g, '') === '') return NO_TEXT_LAYER;
    if (undecodable(text.body))
      return 'its text cannot be decoded (fonts without a character map): the text layer is unusable';
    const blank = text.blankPages;
    if (blank.length > 0)
      notes.push(`${describePages(blank)} no text layer (scanned?): only the pages with text were read`);
    return {
      body: text.body,
      pages: text.pages,
      // Else the largest text of the first page with text (page 1 may be a scanned cover).
      title: meta.title ?? largestText(cleaned.find((lines) => lines.length > 0) ?? []),
      date: meta.date,
      author: meta.author,
      outlet: meta.outlet,
      url: meta.url,
      notes,
    };
  } catch (error) {
    return whyUnreadable(error);
  } finally {
    await doc.destroy().catch(() => {});
  }
}

/**
 * The pages' paragraphs as one body (a paragraph a line) with each page's start. A sentence that runs
 * on from one page to the next is kept whole (a space, or nothing after a hyphenated word).
 */
function assemble(pages: readonly Paragraph[][]): { body: string; pages: number[]; blankPages: number[] } {
  let body = '';
  const starts: number[] = [];
  const blankPages: number[] = [];
  pages.forEach((paragraphs, i) => {
    if (paragraphs.length === 0) {
      blankPages.push(i + 1);
      starts.push(body.length);
      return;
    }
    const first = (paragraphs[0] as Paragraph).text;
    if (body === '') starts.push(0);
    else if (runsOn(body, first)) {
      const joined = joinLines(body, first);
      // joinLines keeps `body` as a prefix or drops its last character (a hyphen); the page starts after.
      body = joined.slice(0, joined.length - first.length);
      starts.push(body.length);
    } else {
      body += '\n';
      starts.push(body.length);
    }
    body += paragraphs.map((p) => p.text).join('\n');
  });
  return { body, pages: starts.map((s) => Math.min(s, body.length)), blankPages };
}

/** The largest text on a page (its first stretch of lines in the largest size), else its first line. */
export function largestText(lines: readonly PageLine[]): string | null {
  if (lines.length === 0) return null;
  const largest = Math.max(...lines.map((l) => l.size));
  // The body text's size: the one most characters are set in.
  const chars = new Map<number, number>();
  for (const l of lines) chars.set(l.size, (chars.get(l.size) ?? 0) + l.text.length);
  const body = [...chars].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  if (largest < body * 1.15) return clip((lines[0] as PageLine).text);
  const at = lines.findIndex((l) => l.size >= largest * 0.95);
  const title: string[] = [];
  for (let i = at; i < lines.length && (lines[i] as PageLine).size >= largest * 0.95; i++)
    title.push((lines[i] as PageLine).text);
  return clip(title.reduce((text, line) => joinLines(text, line)));
}

function clip(text: string): string | null {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line === '') return null;
  if (line.length <= 200) return line;
  const cut = line.slice(0, 200);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 100 ? cut.lastIndexOf(' ') : 200)}…`;
}

/** Mostly private-use or replacement characters: fonts whose glyphs map to no Unicode text. */
function undecodable(text: string): boolean {
  const visible = text.replace(/\s/g, '');
  const bad = visible.match(/[\uE000-\uF8FF\uFFFD]/g)?.length ?? 0;
  return bad > visible.length * 0.3;
}

function describePages(pages: number[]): string {
  if (pages.length === 1) return `page ${pages[0]} has`;
  const shown = pages.slice(0, 10).join(', ');
  return `pages ${shown}${pages.length > 10 ? ` and ${pages.length - 10} more` : ''} have`;
}

/** What went wrong opening or reading a PDF, for a person. */
function whyUnreadable(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  const message = describeError(error);
  if (name === 'PasswordException')
    return 'encrypted: it needs a password to open, and Clipdesk does not take passwords; save an unprotected copy';
  if (name === 'InvalidPDFException') return `damaged: not a readable PDF (${message})`;
  return `damaged or unreadable PDF (${message.slice(0, 200)})`;
}
