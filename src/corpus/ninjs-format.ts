import type { ArticleDraft } from './article.js';
import { toAuthor, toBody, toIsoDate, toLine, toUrl } from './fields.js';
import { htmlFragmentText } from './html-extract.js';

/** Members only ninjs uses (IPTC's JSON news format), by which a record is recognised as ninjs. */
const NINJS_MEMBERS = [
  'body_html',
  'body_xhtml',
  'body_text',
  'bodies',
  'headlines',
  'versioncreated',
  'firstcreated',
];

/** True when a JSON record is a ninjs 1.x or 2.x item (by its `$schema`, or members only ninjs has). */
export function isNinjs(record: Record<string, unknown>): boolean {
  if (typeof record.$schema === 'string' && /ninjs/i.test(record.$schema)) return true;
  return NINJS_MEMBERS.some((key) => key in record);
}

/**
 * A ninjs item as an article: the title from `headline` (1.x) or `headlines` (2.x, the main one), the text
 * from `body_text`, else `body_html` (`body_xhtml` in 1.0), else `bodies` (2.x; plain text before HTML), the date from
 * `firstcreated` (else `contentcreated`, `versioncreated`), the outlet from `copyrightholder` (else the
 * first `infosources` name), the author from `by`, the link from an http(s) `uri`.
 */
export function ninjsArticle(record: Record<string, unknown>, source: string): ArticleDraft | string {
  const type = toLine(record.type);
  if (type && !/^(?:text|composite)$/i.test(type)) return `a ninjs ${type} item, not text`;
  const title = toLine(record.headline) ?? mainValue(record.headlines) ?? toLine(record.slugline);
  if (!title) return 'no title (ninjs headline or headlines)';
  const body = bodyOf(record);
  if (body === '') return 'no text (ninjs body_text, body_html or bodies)';
  const infosource = list(record.infosources).find(isRecord);
  return {
    source,
    title,
    date:
      toIsoDate(record.firstcreated) ?? toIsoDate(record.contentcreated) ?? toIsoDate(record.versioncreated),
    outlet: toLine(record.copyrightholder) ?? toLine(infosource?.name),
    url: toUrl(record.uri),
    author: toAuthor(typeof record.by === 'string' ? record.by.replace(/^\s*by\s+/i, '') : record.by),
    body,
  };
}

function bodyOf(record: Record<string, unknown>): string {
  const text = toBody(record.body_text);
  if (text) return text;
  // `body_xhtml` is ninjs 1.0's name for `body_html`.
  for (const markup of [record.body_html, record.body_xhtml]) {
    if (typeof markup !== 'string') continue;
    const html = toBody(htmlFragmentText(markup));
    if (html) return html;
  }
  const bodies = list(record.bodies).filter(isRecord);
  const main = bodies.filter((b) => !b.role || /main|body/i.test(String(b.role)));
  const candidates = main.length > 0 ? main : bodies;
  const plain = candidates.find((b) => !/html|xml/i.test(String(b.contenttype ?? 'text/plain')));
  if (plain) return toBody(plain.value);
  const html = candidates.find((b) => typeof b.value === 'string');
  return html ? toBody(htmlFragmentText(html.value as string)) : '';
}

/** The `value` of the main entry of a ninjs 2.x list (`headlines`): role `main`, else the first. */
function mainValue(value: unknown): string | null {
  const entries = list(value).filter(isRecord);
  const main = entries.find((e) => /main/i.test(String(e.role ?? ''))) ?? entries[0];
  return toLine(main?.value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
