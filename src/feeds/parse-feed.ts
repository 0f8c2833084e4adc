import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { toAuthor, toLine, toUrl } from '../corpus/fields.js';
import { declaresEntities } from '../corpus/safe-xml.js';
import { describeError } from '../errors.js';

/** One entry of a feed, whatever its format. */
export interface FeedItem {
  guid: string | null;
  url: string | null;
  title: string | null;
  /** ISO date-time, or null. */
  published: string | null;
  author: string | null;
  /** The fullest content the feed carries (HTML, or plain text when `contentIsText`). */
  content: string | null;
  contentIsText: boolean;
  summary: string | null;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf';
  title: string | null;
  items: FeedItem[];
}

/** The body is not a feed we can read, with a reason a person can act on. */
export class FeedFormatError extends Error {
  override name = 'FeedFormatError';
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five XML entities and character references: entity declarations are refused before parsing.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['item', 'entry', 'link', 'author', 'category', 'dc:creator'].includes(name),
});

/**
 * RSS 2.0 (and 0.9x/1.0), Atom 1.0 or JSON Feed 1.x. XML is validated first (malformed XML is named as
 * such), and a document that declares entities (a DTD internal subset, the vehicle of "billion laughs"
 * and external-entity attacks) is refused outright: no entity is expanded and nothing is fetched.
 */
export function parseFeed(body: string, contentType = ''): ParsedFeed {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (text === '') throw new FeedFormatError('the response is empty');
  if (/json/i.test(contentType) || text.startsWith('{')) return parseJsonFeed(text);
  if (
    /^<!doctype html/i.test(text) ||
    /^<html[\s>]/i.test(text) ||
    /^(?:<\?xml[^>]*>\s*)?<html[\s>]/i.test(text)
  )
    throw new FeedFormatError(`the url serves an HTML page, not a feed${discoveryHint(text)}`);
  if (!text.startsWith('<')) throw new FeedFormatError('the response is neither XML nor JSON');
  refuseEntityDeclarations(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedFormatError(`malformed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = parser.parse(text) as Record<string, unknown>;
  if (doc.html) throw new FeedFormatError(`the url serves an HTML page, not a feed${discoveryHint(text)}`);
  const rss = record(doc.rss);
  if (rss) {
    const channel = record(rss.channel) ?? {};
    return { format: 'rss', title: textOf(channel.title), items: list(channel.item).map(rssItem) };
  }
  const atom = record(doc.feed);
  if (atom) return { format: 'atom', title: textOf(atom.title), items: list(atom.entry).map(atomItem) };
  const rdf = record(doc['rdf:RDF']);
  if (rdf)
    return {
      format: 'rdf',
      title: textOf(record(rdf.channel)?.title),
      items: list(rdf.item).map(rssItem),
    };
  const root = Object.keys(doc).find((k) => !k.startsWith('?')) ?? 'nothing';
  throw new FeedFormatError(`XML with a <${root}> root is not an RSS or Atom feed`);
}

function refuseEntityDeclarations(text: string): void {
  if (declaresEntities(text))
    throw new FeedFormatError(
      'the feed declares its own XML entities (a DTD internal subset): refused, since entity expansion is how XML bombs and external-entity reads work',
    );
}

function discoveryHint(html: string): string {
  const link = /<link\b[^>]*type=["']application\/(?:rss|atom)\+xml["'][^>]*>/i.exec(html)?.[0];
  const href = link ? /href=["']([^"']+)["']/i.exec(link)?.[1] : undefined;
  return href ? ` (the page names a feed at ${href})` : '';
}

function rssItem(raw: unknown): FeedItem {
  const item = record(raw) ?? {};
  const guid = textOf(item.guid);
  const link = toUrl(textOf(first(item.link))) ?? (guid && isPermalink(item.guid) ? toUrl(guid) : null);
  const encoded = textOf(item['content:encoded']);
  const description = textOf(item.description);
  return {
    guid,
    url: link ?? toUrl(textOf(item['@_rdf:about'])),
    title: textOf(item.title),
    published: toIsoDateTime(textOf(item.pubDate) ?? textOf(item['dc:date']) ?? textOf(item.published)),
    author: toAuthor(list(item['dc:creator']).map(textOf)) ?? toLine(textOf(item.author)),
    content: encoded ?? description,
    contentIsText: false,
    summary: description,
  };
}

function isPermalink(guid: unknown): boolean {
  const attr = record(guid)?.['@_isPermaLink'];
  return attr === undefined || String(attr).toLowerCase() !== 'false';
}

function atomItem(raw: unknown): FeedItem {
  const entry = record(raw) ?? {};
  const links = list(entry.link).map((l) => record(l) ?? {});
  const alternate =
    links.find(
      (l) => (l['@_rel'] ?? 'alternate') === 'alternate' && /html/i.test(String(l['@_type'] ?? 'html')),
    ) ?? links.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
  const content = record(entry.content);
  const contentType = String(content?.['@_type'] ?? (typeof entry.content === 'string' ? 'text' : 'text'));
  // xhtml content is nested XML, not a string: the page is fetched instead.
  const contentText = contentType === 'xhtml' ? null : textOf(entry.content);
  return {
    guid: textOf(entry.id),
    url: toUrl(typeof alternate?.['@_href'] === 'string' ? alternate['@_href'] : null),
    title: textOf(entry.title),
    published: toIsoDateTime(textOf(entry.published) ?? textOf(entry.updated)),
    author: toAuthor(list(entry.author).map((a) => textOf(record(a)?.name ?? a))),
    content: contentText,
    contentIsText: contentType === 'text',
    summary: textOf(entry.summary),
  };
}

function parseJsonFeed(text: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FeedFormatError(`malformed JSON (${describeError(error)})`);
  }
  const feed = record(data);
  if (!feed || typeof feed.version !== 'string' || !/^https?:\/\/jsonfeed\.org\/version\//.test(feed.version))
    throw new FeedFormatError('JSON that is not a JSON Feed (no jsonfeed.org version)');
  if (!Array.isArray(feed.items)) throw new FeedFormatError('a JSON Feed without an items list');
  return {
    format: 'json',
    title: toLine(feed.title),
    items: feed.items.map((raw): FeedItem => {
      const item = record(raw) ?? {};
      const authors = list(item.authors ?? item.author).map((a) => record(a)?.name);
      const html = typeof item.content_html === 'string' ? item.content_html : null;
      const plain = typeof item.content_text === 'string' ? item.content_text : null;
      return {
        guid: item.id === undefined || item.id === null ? null : String(item.id),
        url: toUrl(item.url) ?? toUrl(item.external_url),
        title: toLine(item.title),
        published: toIsoDateTime(item.date_published ?? item.date_modified),
        author: toAuthor(authors),
        content: html ?? plain,
        contentIsText: html === null && plain !== null,
        summary: typeof item.summary === 'string' ? item.summary : null,
      };
    }),
  };
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** Text of an element that may carry attributes (`{ '#text': …, '@_type': … }`). */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number') return String(value);
  const r = record(value);
  if (r && typeof r['#text'] === 'string') return r['#text'].trim() === '' ? null : r['#text'];
  if (r && typeof r['#text'] === 'number') return String(r['#text']);
  return null;
}

/** RFC 822 (RSS), RFC 3339 (Atom, JSON Feed) and friends, as an ISO date-time; null when not a date. */
export function toIsoDateTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
