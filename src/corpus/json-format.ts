import { describeError } from '../errors.js';
import type { ArticleDraft, ParsedFile, SkippedSource } from './article.js';
import { toAuthor, toBody, toIsoDate, toLine, toUrl } from './fields.js';
import { isNinjs, ninjsArticle } from './ninjs-format.js';

/**
 * A `.json` file: one article object, an array of them, or `{ "articles": [...] }`. A record that is a
 * ninjs item (IPTC's JSON news format, 1.x or 2.x) is read as one, whatever the file is called.
 */
export function parseJsonArticles(text: string, source: string): ParsedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { articles: [], skipped: [{ source, reason: `malformed JSON: ${describeError(error)}` }] };
  }
  const records = Array.isArray(value)
    ? value
    : isObject(value) && Array.isArray(value.articles)
      ? value.articles
      : [value];
  return collect(
    records.map((record, index) => ({ record, key: String(index + 1), label: `record ${index + 1}` })),
    source,
    records.length === 1 && !Array.isArray(value),
  );
}

/** A `.jsonl` file: one article object per line; a broken line is reported and the others go on. */
export function parseJsonLinesArticles(text: string, source: string): ParsedFile {
  const entries: Entry[] = [];
  const skipped: SkippedSource[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const label = `line ${index + 1}`;
    try {
      entries.push({ record: JSON.parse(line), key: String(index + 1), label });
    } catch (error) {
      skipped.push({
        source: `${source}#${index + 1}`,
        reason: `${label}: malformed JSON: ${describeError(error)}`,
      });
    }
  });
  const parsed = collect(entries, source, false);
  return { articles: parsed.articles, skipped: [...skipped, ...parsed.skipped] };
}

interface Entry {
  record: unknown;
  /** Fallback key when the record has no `id`: its line or position, stable while the file only grows. */
  key: string;
  label: string;
}

function collect(entries: Entry[], source: string, single: boolean): ParsedFile {
  const articles: ArticleDraft[] = [];
  const skipped: SkippedSource[] = [];
  const seen = new Set<string>();
  for (const { record, key, label } of entries) {
    const ownId = isObject(record)
      ? toLine(record.id ?? record.guid ?? (isNinjs(record) ? record.uri : undefined))
      : null;
    const recordSource = single ? source : `${source}#${ownId ?? key}`;
    const result = toDraft(record, recordSource);
    if (typeof result === 'string') {
      skipped.push({ source: recordSource, reason: single ? result : `${label}: ${result}` });
    } else if (seen.has(recordSource)) {
      skipped.push({ source: recordSource, reason: `${label}: duplicate id ${ownId ?? key}` });
    } else {
      seen.add(recordSource);
      articles.push(result);
    }
  }
  if (entries.length === 0) skipped.push({ source, reason: 'no article records' });
  return { articles, skipped };
}

/** The article, or the reason it cannot be one. */
function toDraft(record: unknown, source: string): ArticleDraft | string {
  if (!isObject(record)) return 'not a JSON object';
  if (isNinjs(record)) return ninjsArticle(record, source);
  const body = toBody(record.body ?? record.text ?? record.content);
  const title = toLine(record.title ?? record.headline);
  if (!title) return 'no title';
  if (body === '') return 'no body or text';
  return {
    source,
    title,
    date: toIsoDate(record.date ?? record.published ?? record.published_at ?? record.publishedAt),
    outlet: toLine(record.outlet ?? record.source ?? record.publisher),
    url: toUrl(record.url ?? record.link),
    author: toAuthor(record.author ?? record.authors ?? record.byline),
    body,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
