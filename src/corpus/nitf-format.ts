import type { ArticleDraft } from './article.js';
import { toAuthor, toIsoDate, toLine, toUrl } from './fields.js';
import type { XmlElement } from './safe-xml.js';
import { childOf, findElement, findElements, paragraphText, textOf } from './xml-text.js';

const BYLINE_TITLE = new Set(['byttl']);

/**
 * A NITF 3.x document (IPTC's News Industry Text Format) as an article: the title from `hedline/hl1`
 * (else `head/title`), the date from `date.issue` (else `pubdata`'s publication date, `date.release`, the
 * dateline's `story.date`), the outlet from `pubdata`'s name (else `doc.copyright`'s holder, else the
 * `distributor`), the author from the `byline` (its `person`s, or its text without "By" and the title),
 * the link from `pubdata`'s `ex-ref`, and the text of `body.content`, a paragraph a line.
 */
export function nitfArticle(nitf: XmlElement, source: string): ArticleDraft | string {
  const head = childOf(nitf, 'head');
  const docdata = childOf(head, 'docdata');
  const pubdata = childOf(head, 'pubdata');
  const bodyHead = findElement(nitf, 'body.head');
  const title = toLine(textOf(findElement(bodyHead, 'hl1')) ?? textOf(childOf(head, 'title')));
  if (!title) return 'no title (NITF hedline/hl1 or head/title)';
  const body = paragraphText(findElement(nitf, 'body.content'));
  if (body === '') return 'no text (NITF body.content is empty)';
  return {
    source,
    title,
    date:
      toIsoDate(childOf(docdata, 'date.issue')?.attrs.norm) ??
      toIsoDate(pubdata?.attrs['date.publication']) ??
      toIsoDate(childOf(docdata, 'date.release')?.attrs.norm) ??
      toIsoDate(findElement(bodyHead, 'story.date')?.attrs.norm),
    outlet:
      toLine(pubdata?.attrs.name) ??
      toLine(childOf(docdata, 'doc.copyright')?.attrs.holder) ??
      toLine(textOf(childOf(bodyHead, 'distributor'))),
    url: toUrl(pubdata?.attrs['ex-ref'] ?? null),
    author: bylineOf(childOf(bodyHead, 'byline')),
    body,
  };
}

function bylineOf(byline: XmlElement | null): string | null {
  const people = findElements(byline, 'person').map((p) => textOf(p));
  if (people.some(Boolean)) return toAuthor(people);
  return toLine(textOf(byline, BYLINE_TITLE)?.replace(/^by\s+/i, '') ?? null);
}
