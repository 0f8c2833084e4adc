import type { ArticleDraft, ParsedFile } from './article.js';
import { toAuthor, toIsoDate, toLine, toUrl } from './fields.js';
import { nitfArticle } from './nitf-format.js';
import type { XmlElement } from './safe-xml.js';
import { childOf, childrenOf, findElement, paragraphText, textOf } from './xml-text.js';

/**
 * A NewsML-G2 document: one `newsItem`, or a `newsMessage` whose `itemSet` holds several (each keyed by its
 * `guid`). Items that are not text (pictures, video, packages) are reported and left out.
 */
export function parseNewsMl(root: XmlElement, source: string): ParsedFile {
  if (root.name === 'newsItem') {
    const result = newsItemArticle(root, source);
    return typeof result === 'string'
      ? { articles: [], skipped: [{ source, reason: result }] }
      : { articles: [result], skipped: [] };
  }
  const items = childrenOf(childOf(root, 'itemSet'));
  const parsed: ParsedFile = { articles: [], skipped: [] };
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = toLine(item.attrs.guid) ?? String(i + 1);
    const itemSource = `${source}#${key}`;
    const result =
      item.name === 'newsItem' ? newsItemArticle(item, itemSource) : `a ${item.name}, not a news item`;
    if (typeof result === 'string')
      parsed.skipped.push({ source: itemSource, reason: `item ${i + 1}: ${result}` });
    else if (seen.has(itemSource))
      parsed.skipped.push({ source: itemSource, reason: `item ${i + 1}: duplicate guid ${key}` });
    else {
      seen.add(itemSource);
      parsed.articles.push(result);
    }
  });
  if (items.length === 0) parsed.skipped.push({ source, reason: 'a NewsML-G2 newsMessage with no items' });
  return parsed;
}

/**
 * One `newsItem`: the title from `contentMeta/headline` (else the slugline), the date from
 * `contentCreated` (else `itemMeta`'s `firstCreated`, `versionCreated`), the outlet from `infoSource`
 * (else the `provider`, else the copyright holder), the author from the `creator`s (else the `by` line),
 * the link from an http(s) `guid`, and the text of its content: `inlineXML` (XHTML, or NITF inside it) or
 * `inlineData` (plain text).
 */
function newsItemArticle(item: XmlElement, source: string): ArticleDraft | string {
  const itemMeta = childOf(item, 'itemMeta');
  const contentMeta = childOf(item, 'contentMeta');
  const itemClass = childOf(itemMeta, 'itemClass')?.attrs.qcode ?? '';
  if (itemClass && !/:(?:text|composite)$/.test(itemClass)) return `a ${itemClass} item, not text`;
  const title = headlineOf(contentMeta);
  if (!title) return 'no title (NewsML-G2 contentMeta/headline)';
  const body = contentOf(childOf(item, 'contentSet'), source);
  if (typeof body !== 'string') return body.reason;
  if (body === '') return 'no text (the contentSet has no inlineXML or inlineData)';
  return {
    source,
    title,
    date:
      toIsoDate(textOf(childOf(contentMeta, 'contentCreated'))) ??
      toIsoDate(textOf(childOf(itemMeta, 'firstCreated'))) ??
      toIsoDate(textOf(childOf(itemMeta, 'versionCreated'))),
    outlet:
      partyName(childrenOf(contentMeta, 'infoSource')) ??
      partyName(childrenOf(itemMeta, 'provider')) ??
      partyName(childrenOf(childOf(item, 'rightsInfo'), 'copyrightHolder')),
    url: toUrl(item.attrs.guid ?? null),
    author:
      toAuthor(childrenOf(contentMeta, 'creator').map((c) => partyName([c], false))) ??
      toLine(textOf(childOf(contentMeta, 'by'))?.replace(/^by\s+/i, '') ?? null),
    body,
  };
}

function headlineOf(contentMeta: XmlElement | null): string | null {
  const headlines = childrenOf(contentMeta, 'headline');
  const main = headlines.find((h) => !h.attrs.role || /main|headline/i.test(h.attrs.role)) ?? headlines[0];
  return toLine(textOf(main)) ?? toLine(textOf(childOf(contentMeta, 'slugline')));
}

/**
 * The name of a party (`infoSource`, `provider`, `creator`): its `name` child, its `literal`, and, when
 * `orQcode`, the code after the scheme (`nprov:AFP` is AFP). An information source whose role names the
 * publisher or the original source is preferred.
 */
function partyName(parties: XmlElement[], orQcode = true): string | null {
  const preferred =
    parties.find((p) => /publisher|originalSource|origin/i.test(p.attrs.role ?? '')) ?? parties[0];
  if (!preferred) return null;
  return (
    toLine(textOf(childOf(preferred, 'name'))) ??
    toLine(preferred.attrs.literal) ??
    (orQcode ? toLine(preferred.attrs.qcode?.split(':').pop()) : null)
  );
}

/** The text of a contentSet, or why its content is not in the file. */
function contentOf(contentSet: XmlElement | null, source: string): string | { reason: string } {
  for (const content of childrenOf(contentSet)) {
    if (content.name === 'inlineXML') {
      const nitf = findElement(content, 'nitf');
      const article = nitf ? nitfArticle(nitf, source) : null;
      if (article && typeof article !== 'string') return article.body;
      const text = paragraphText(findElement(content, 'body') ?? findElement(content, 'html') ?? content);
      if (text) return text;
    }
    if (content.name === 'inlineData') {
      const text = plainText(content);
      if (text) return text;
    }
  }
  if (childrenOf(contentSet, 'remoteContent').length > 0)
    return { reason: 'its content is remote (remoteContent), not in the file' };
  return '';
}

/**
 * `inlineData` as paragraphs: separated by blank lines when there are any (lines within one are joined),
 * else a paragraph a line. Base64 content is decoded first.
 */
function plainText(content: XmlElement): string {
  const raw = content.children.filter((c) => typeof c === 'string').join('');
  const text = /base64/i.test(content.attrs.encoding ?? '')
    ? Buffer.from(raw, 'base64').toString('utf8')
    : raw;
  const unified = text.replace(/\r\n?/g, '\n').trim();
  const paragraphs = /\n[ \t]*\n/.test(unified) ? unified.split(/\n[ \t]*\n/) : unified.split('\n');
  return paragraphs
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
