import type { XmlElement, XmlNode } from './safe-xml.js';

/** Ways into a parsed XML tree (see `parseXmlTree`), by local name. */

export function isElement(node: XmlNode | undefined): node is XmlElement {
  return typeof node === 'object' && node !== null;
}

/** The element's child elements named `name` (all of them when `name` is absent). */
export function childrenOf(element: XmlElement | null | undefined, name?: string): XmlElement[] {
  if (!element) return [];
  return element.children.filter(
    (c): c is XmlElement => isElement(c) && (name === undefined || c.name === name),
  );
}

export function childOf(element: XmlElement | null | undefined, name: string): XmlElement | null {
  return childrenOf(element, name)[0] ?? null;
}

/** The first element named `name` at any depth below `element`, in document order. */
export function findElement(element: XmlElement | null | undefined, name: string): XmlElement | null {
  for (const child of childrenOf(element)) {
    if (child.name === name) return child;
    const found = findElement(child, name);
    if (found) return found;
  }
  return null;
}

/** Every element named `name` at any depth below `element`, in document order. */
export function findElements(element: XmlElement | null | undefined, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of childrenOf(element)) {
    if (child.name === name) out.push(child);
    out.push(...findElements(child, name));
  }
  return out;
}

/** All the text inside an element, white space collapsed; null when there is none. */
export function textOf(
  element: XmlElement | null | undefined,
  skip: ReadonlySet<string> = NONE,
): string | null {
  if (!element) return null;
  const parts: string[] = [];
  const walk = (node: XmlNode) => {
    if (typeof node === 'string') parts.push(node);
    else if (!skip.has(node.name)) for (const child of node.children) walk(child);
  };
  walk(element);
  const text = parts.join('').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

const NONE: ReadonlySet<string> = new Set();

/** Elements that hold paragraphs (XHTML, and NITF's own). */
const BLOCKS = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'dt',
  'dd',
  'blockquote',
  'bq',
  'pre',
  'td',
  'th',
  'tr',
  'table',
  'ul',
  'ol',
  'dl',
  'section',
  'article',
  'header',
  'footer',
  'figure',
  'figcaption',
  'block',
  'hl1',
  'hl2',
  'media',
  'media-caption',
  'note',
  'fn',
  'credit',
  'tagline',
  'br',
  'hr',
]);

/** Elements whose content is never text to read: code, styles, embedded objects, media metadata. */
const SKIPPED = new Set([
  'script',
  'style',
  'head',
  'object',
  'embed',
  'iframe',
  'svg',
  'math',
  'media-reference',
  'media-metadata',
  'media-object',
  'nitf-table-metadata',
]);

/** The text of an element as paragraphs, one a line: a block element (`p`, `h2`, NITF's `hl2`) ends one. */
export function paragraphText(element: XmlElement | null | undefined): string {
  if (!element) return '';
  const paragraphs: string[] = [];
  let current = '';
  const flush = () => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text) paragraphs.push(text);
    current = '';
  };
  const walk = (node: XmlNode) => {
    if (typeof node === 'string') {
      current += node;
      return;
    }
    if (SKIPPED.has(node.name)) return;
    const block = BLOCKS.has(node.name);
    if (block) flush();
    for (const child of node.children) walk(child);
    if (block) flush();
  };
  walk(element);
  flush();
  return paragraphs.join('\n');
}
