import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import { describeError } from '../errors.js';
import type { ParsedFile } from './article.js';
import { type DocxProperties, readDocxProperties } from './docx-properties.js';
import { toBody, toLine } from './fields.js';
import { blockText, type DomNode } from './html-text.js';
import type { ReadLimits } from './read-limits.js';
import { declaresEntities } from './safe-xml.js';
import { unzipPart, ZipError, zipParts } from './zip-parts.js';

/** Word's title and subtitle styles as headings (mammoth maps only Heading 1 to 6 by default). */
const STYLE_MAP = [
  'p.Title => h1:fresh',
  "p[style-name='Title'] => h1:fresh",
  'p.Subtitle => h2:fresh',
  "p[style-name='Subtitle'] => h2:fresh",
];

/**
 * A Word document (`.docx`) as one article: its text with mammoth (headings, paragraphs, lists, tables and
 * footnotes, a paragraph a line), the title from the document properties, else its first heading, else a
 * short first paragraph; the
 * date (created, else modified) and author from the properties, the outlet from the company or a custom
 * `Publisher` property. Before mammoth reads it, every XML part is unpacked under the read limits and
 * checked to declare no entities; images are never unpacked, and nothing outside the file is read.
 */
export async function parseDocxArticle(
  bytes: Uint8Array,
  source: string,
  limits: ReadLimits,
): Promise<ParsedFile & { note?: string }> {
  const skip = (reason: string): ParsedFile => ({ articles: [], skipped: [{ source, reason }] });
  let parts: Map<string, string>;
  try {
    parts = unpackXmlParts(bytes, limits.maxUnpackedBytes);
  } catch (error) {
    if (error instanceof ZipError) return skip(`not a readable Word document: ${error.message}`);
    throw error;
  }
  if (!parts.has('word/document.xml')) return skip('not a Word document (no word/document.xml inside)');
  const refused = [...parts].find(([, xml]) => declaresEntities(xml));
  if (refused) return skip(`${refused[0]} declares its own XML entities: refused`);
  const properties = readDocxProperties(parts);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
        // Images are dropped unread.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch (error) {
    return skip(`damaged Word document (${describeError(error).split('\n')[0]})`);
  }
  const { title, body } = titleAndBody(html, properties);
  if (body === '') return skip('no text in the document');
  if (!title) return skip('no title (document properties, a first heading or a short first paragraph)');
  return {
    articles: [
      {
        source,
        title,
        date: properties.date,
        outlet: properties.outlet,
        url: properties.url,
        author: properties.author,
        body,
      },
    ],
    skipped: [],
  };
}

/** Every XML part (`.xml`, `.rels`) by name, unpacked within a byte budget for all of them together. */
function unpackXmlParts(bytes: Uint8Array, budget: number): Map<string, string> {
  const parts = new Map<string, string>();
  let left = budget;
  for (const part of zipParts(bytes)) {
    if (!/\.(?:xml|rels)$/i.test(part.name)) continue;
    const data = unzipPart(bytes, part, left);
    left -= data.length;
    parts.set(part.name.replace(/^\//, ''), data.toString('utf8'));
  }
  return parts;
}

interface QueryableBody extends DomNode {
  querySelector(selector: string): (DomNode & { remove(): void; textContent: string | null }) | null;
  querySelectorAll(selector: string): ArrayLike<{ remove(): void }>;
  firstElementChild: DomNode | null;
}

/**
 * The title (the properties' title, else the first heading) and the text. A first heading that becomes
 * the title leaves the text when it opens the document, as a Markdown heading does.
 */
function titleAndBody(html: string, properties: DocxProperties): { title: string | null; body: string } {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`) as unknown as {
    document: { body: QueryableBody };
  };
  const root = document.body;
  // Footnote back-links (↑) point into the text; they are no text themselves.
  const backLinks = root.querySelectorAll('a[href^="#footnote-ref"], a[href^="#endnote-ref"]');
  for (let i = 0; i < backLinks.length; i++) backLinks[i]?.remove();
  let title = properties.title;
  if (!title) {
    const heading = root.querySelector('h1, h2, h3, h4, h5, h6');
    title = toLine(heading?.textContent ?? null);
    if (heading && heading === root.firstElementChild) heading.remove();
  }
  const body = toBody(blockText(root));
  // Many press releases style no heading at all: a short first paragraph is the title, and stays text.
  const first = body.split('\n')[0] ?? '';
  if (!title && first.length <= MAX_FIRST_LINE_TITLE) title = toLine(first);
  return { title, body };
}

/** A first paragraph up to this long may stand as the title of a document with none. */
const MAX_FIRST_LINE_TITLE = 150;
