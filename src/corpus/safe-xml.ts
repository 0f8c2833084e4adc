import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element with its attributes and its content in document order (text and elements mixed). */
export interface XmlElement {
  /** The local name: namespace prefixes are dropped (`g2:newsItem` is `newsItem`). */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

/** XML that is refused or cannot be read, with the reason. */
export class XmlError extends Error {
  override name = 'XmlError';
}

/**
 * True when a document declares entities of its own (a DTD internal subset), the vehicle of "billion
 * laughs" and external-entity attacks. Such documents are refused before parsing; a DOCTYPE that only
 * names an external DTD (as NITF files do) is fine, since nothing is ever fetched.
 */
export function declaresEntities(text: string): boolean {
  // Everything before the root element: the XML declaration, comments, processing instructions, DOCTYPE.
  const prolog =
    /^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>))*/i.exec(text)?.[0] ?? '';
  return /<!DOCTYPE[^>[]*\[/i.test(prolog) || /<!ENTITY/i.test(text.slice(0, Math.max(prolog.length, 4096)));
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // The five XML entities, character references and a fixed table of HTML names (`&nbsp;`, `&mdash;`,
  // which NITF's own DTD defines): nothing a document declares is ever expanded.
  processEntities: true,
  htmlEntities: true,
});

/** The root element of an XML document, parsed without entity expansion; throws XmlError when refused. */
export function parseXmlTree(text: string): XmlElement {
  const xml = text.replace(/^\uFEFF/, '').trim();
  if (declaresEntities(xml))
    throw new XmlError(
      'the XML declares its own entities (a DTD internal subset): refused, since entity expansion is how XML bombs and external-entity reads work',
    );
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlError(`malformed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const root = (parser.parse(xml) as unknown[])
    .map(toNode)
    .find((n): n is XmlElement => typeof n === 'object' && n !== null);
  if (!root) throw new XmlError('XML without a root element');
  return root;
}

function toNode(raw: unknown): XmlNode | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const record = raw as Record<string, unknown>;
  if ('#text' in record) return String(record['#text']);
  const name = Object.keys(record).find((k) => k !== ':@');
  if (!name || name.startsWith('?') || name.startsWith('!')) return null;
  const attrs: Record<string, string> = {};
  const rawAttrs = record[':@'];
  if (typeof rawAttrs === 'object' && rawAttrs !== null)
    for (const [key, value] of Object.entries(rawAttrs)) attrs[key] = String(value);
  const content = Array.isArray(record[name]) ? (record[name] as unknown[]) : [];
  return { name, attrs, children: content.map(toNode).filter((n): n is XmlNode => n !== null) };
}
