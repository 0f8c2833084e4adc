import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { toAuthor, toIsoDate, toLine, toUrl } from './fields.js';
import { blockText, type DomNode, treeShape } from './html-text.js';

/** What a web page says about itself, and its readable text. */
export interface ExtractedPage {
  title: string | null;
  outlet: string | null;
  date: string | null;
  author: string | null;
  /** The canonical url (`<link rel=canonical>`, `og:url`, JSON-LD), http(s) only. */
  url: string | null;
  /** Paragraphs separated by blank lines; empty when the page has no readable text. */
  text: string;
}

interface QueryableDocument extends DomNode {
  querySelectorAll(selector: string): ArrayLike<DomNode>;
  querySelector(selector: string): DomNode | null;
}

/** Below this many characters Readability keeps looking for a better candidate. */
const CHAR_THRESHOLD = 200;
/**
 * Readability's cost grows with the cube of the nesting depth (1,000 nested elements took 9 s, 2,000 took
 * 139 s) and its recursion overflows the stack on deeper trees; it also grows with the element count.
 * Real article pages stay far below both limits; a page past either is read by the linear walk alone.
 */
const READABILITY_LIMITS = { maxDepth: 128, maxElements: 30_000 };
/** A page's article text, extracted below this length, is too thin to be an article. */
export const MIN_ARTICLE_CHARS = 200;

/**
 * The article in an HTML page: metadata from `<meta>` tags (Open Graph, article:*, name=author…) and
 * JSON-LD (`NewsArticle` and kin, read with JSON.parse as data), text from Mozilla's Readability (the
 * reader view of Firefox) on a linkedom document. linkedom builds a tree and nothing else: no script
 * runs, no resource loads. `pageUrl` is where the page came from, used when it names no canonical url.
 * Linear in the page: Readability runs only on trees within READABILITY_LIMITS, and the text walk
 * visits each node once. Run it off the bot's event loop (src/parsing) for pages from outside.
 */
export function extractPage(html: string, pageUrl: string | null = null): ExtractedPage {
  const { document } = parseHTML(html) as unknown as { document: QueryableDocument };
  const meta = readMetadata(document, pageUrl);
  const body = document.querySelector('body');
  // A page past the limits is read by the linear walk alone (Readability has not touched its tree).
  if (body && treeShape(body, READABILITY_LIMITS).over) return { ...meta, text: blockText(body) };
  let text = '';
  try {
    const article = new Readability<DomNode>(document as never, {
      serializer: (node) => node as unknown as DomNode,
      charThreshold: CHAR_THRESHOLD,
    }).parse();
    if (article?.content) text = blockText(article.content);
    meta.title ??= toLine(article?.title);
    meta.author ??= toAuthor(article?.byline);
    meta.outlet ??= toLine(article?.siteName);
  } catch {
    // Readability gives up on some malformed trees: fall back to the body's text below.
  }
  if (text.length < MIN_ARTICLE_CHARS) {
    // Readability rewrites the tree it reads: the body is read again from the page as it came.
    const { document: fresh } = parseHTML(html) as unknown as { document: QueryableDocument };
    const freshBody = fresh.querySelector('body');
    const fallback = freshBody ? blockText(freshBody) : '';
    if (fallback.length > text.length) text = fallback;
  }
  return { ...meta, text };
}

function readMetadata(document: QueryableDocument, pageUrl: string | null): Omit<ExtractedPage, 'text'> {
  const metas = new Map<string, string>();
  const list = document.querySelectorAll('meta');
  for (let i = 0; i < list.length; i++) {
    const m = list[i] as DomNode;
    const key = (
      m.getAttribute?.('property') ??
      m.getAttribute?.('name') ??
      m.getAttribute?.('itemprop') ??
      ''
    )
      .trim()
      .toLowerCase();
    const content = m.getAttribute?.('content');
    if (key && content && !metas.has(key)) metas.set(key, content);
  }
  const ld = readJsonLd(document);
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute?.('href') ?? null;
  const absolute = (href: string | null | undefined) => {
    if (!href) return null;
    try {
      return toUrl(new URL(href, pageUrl ?? undefined).href);
    } catch {
      return null;
    }
  };
  const titleTag = toLine(document.querySelector('title')?.textContent);
  return {
    title:
      toLine(metas.get('og:title')) ?? toLine(ld.headline) ?? toLine(metas.get('twitter:title')) ?? titleTag,
    outlet:
      toLine(metas.get('og:site_name')) ?? toLine(ld.publisher) ?? toLine(metas.get('application-name')),
    date: toIsoDate(
      metas.get('article:published_time') ??
        ld.datePublished ??
        metas.get('date') ??
        metas.get('dc.date') ??
        metas.get('datepublished') ??
        metas.get('og:updated_time'),
    ),
    author: toAuthor(metas.get('author') ?? ld.author ?? metas.get('article:author')),
    url: absolute(canonical) ?? absolute(metas.get('og:url')) ?? absolute(ld.url) ?? toUrl(pageUrl),
  };
}

interface LdFields {
  headline?: string;
  datePublished?: string;
  author?: string | string[];
  publisher?: string;
  url?: string;
}

const ARTICLE_TYPES =
  /^(NewsArticle|Article|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|WebPage|LiveBlogPosting|ScholarlyArticle)$/;

/** The first article-like object in the page's JSON-LD blocks (arrays and @graph included). */
function readJsonLd(document: QueryableDocument): LdFields {
  const scripts = document.querySelectorAll('script[type="application/ld+json"]');
  for (let i = 0; i < scripts.length; i++) {
    let data: unknown;
    try {
      data = JSON.parse((scripts[i] as DomNode).textContent ?? '');
    } catch {
      continue;
    }
    const found = findArticle(data, 0);
    if (found) return found;
  }
  return {};
}

function findArticle(value: unknown, depth: number): LdFields | null {
  if (depth > 4 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findArticle(v, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  const types = ([] as unknown[]).concat(record['@type'] ?? []).map(String);
  if (types.some((t) => ARTICLE_TYPES.test(t)) && (record.headline || record.name)) {
    return {
      headline: str(record.headline) ?? str(record.name),
      datePublished: str(record.datePublished) ?? str(record.dateCreated),
      author: names(record.author),
      publisher: names(record.publisher)?.[0],
      url: str(record.url) ?? str((record.mainEntityOfPage as Record<string, unknown> | undefined)?.['@id']),
    };
  }
  return findArticle(record['@graph'], depth + 1);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function names(value: unknown): string[] | undefined {
  const list = ([] as unknown[]).concat(value ?? []);
  const out = list
    .map((v) => (typeof v === 'string' ? v : str((v as Record<string, unknown> | null)?.name)))
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return out.length ? out : undefined;
}

/** Readable text of an HTML fragment (a feed item's content): paragraphs, no markup, nothing run. */
export function htmlFragmentText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`) as unknown as {
    document: QueryableDocument;
  };
  const body = document.querySelector('body');
  return body ? blockText(body) : '';
}
