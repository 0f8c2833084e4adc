import { toAuthor, toIsoDate, toLine, toUrl } from './fields.js';

/** What a PDF's document information dictionary and XMP metadata say about it. */
export interface PdfMetadata {
  title: string | null;
  date: string | null;
  author: string | null;
  outlet: string | null;
  url: string | null;
}

/** The shape of pdf.js's `getMetadata()` that is read here. */
export interface PdfJsMetadata {
  info: unknown;
  metadata: { get(name: string): unknown } | null;
}

/** Titles that name the file or the program rather than the document. */
const PLACEHOLDER_TITLE =
  /^(?:untitled.*|document\d*|microsoft (?:word|powerpoint|excel) - .*|powerpoint presentation|slide \d+|.*\.(?:docx?|pdf|indd|qxd|rtf|odt|pages|tex|dvi|ps|pptx?))$/i;

/**
 * Title, date, author, outlet and link from a PDF's metadata. XMP (`dc:title`, `xmp:CreateDate`, …) comes
 * before the older information dictionary, as in Firefox's viewer; a title that is a file or program name
 * ("Microsoft Word - draft.docx", "untitled") counts as none. The date is the creation date, else the last
 * change's. The outlet is the publisher (`dc:publisher`, or a `Publisher`, `Outlet`, `Source`, `Company` or
 * `Organization` entry).
 */
export function readPdfMetadata({ info, metadata }: PdfJsMetadata): PdfMetadata {
  const dict = isRecord(info) ? info : {};
  const custom = isRecord(dict.Custom) ? dict.Custom : {};
  const xmp = (name: string) => metadata?.get(name) ?? null;
  const title = [xmp('dc:title'), dict.Title].map(toLine).find((t) => t && !PLACEHOLDER_TITLE.test(t));
  return {
    title: title ?? null,
    date:
      toIsoDate(xmp('xmp:createdate')) ??
      pdfDate(dict.CreationDate) ??
      toIsoDate(xmp('dc:date')) ??
      pdfDate(dict.ModDate),
    author: toAuthor(xmp('dc:creator')) ?? toAuthor(dict.Author),
    outlet:
      firstLine(xmp('dc:publisher')) ??
      toLine(custom.Publisher) ??
      toLine(custom.Outlet) ??
      toLine(custom.Source) ??
      toLine(custom.Company) ??
      toLine(custom.Organization) ??
      toLine(custom.Organisation),
    url: toUrl(custom.URL ?? custom.Url ?? null),
  };
}

/** A PDF date string (`D:20240315120000+01'00'`) as `YYYY-MM-DD`, the date as written; null if none. */
export function pdfDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  return match ? toIsoDate(`${match[1]}-${match[2]}-${match[3]}`) : toIsoDate(value);
}

function firstLine(value: unknown): string | null {
  return Array.isArray(value) ? toLine(value[0]) : toLine(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
