import { toIsoDate, toLine } from '../corpus/fields.js';
import { MIN_ARTICLE_CHARS } from '../corpus/html-extract.js';
import { joinPages } from '../corpus/pages.js';
import { isPdf } from '../corpus/pdf-format.js';
import { describeError } from '../errors.js';
import type { FrontMatter } from '../intake/article-file.js';
import { decodeBody } from '../intake/decode-body.js';
import { FetchError, type FetchPolicy, safeFetch } from '../intake/safe-fetch.js';
import { extractPageOffThread, fragmentTextOffThread, readFileOffThread } from '../parsing/off-thread.js';
import type { FeedSource } from './feed-list.js';
import type { FeedItem } from './parse-feed.js';

/** Feed content at least this long (and not cut off with "…" or "read more") is taken as the full text. */
export const FULL_TEXT_MIN_CHARS = 600;
/** A feed's own text this long (a few sentences) is kept as the article when its page cannot be had. */
export const FEED_TEXT_FALLBACK_MIN_CHARS = 100;

/** An item that could not become an article this time (retried later). */
export class ItemError extends Error {
  override name = 'ItemError';
}

export interface ResolvedArticle {
  meta: FrontMatter;
  body: string;
  /** Where the text came from. */
  from: 'feed' | 'page' | 'pdf';
  /** Why the feed's own text was taken instead of the page's (the page is gone, or never answered). */
  pageProblem?: string;
}

/** What the item itself says of the article (its title may be missing). */
type ItemMeta = Omit<FrontMatter, 'title'> & { title: string | null };

export interface ResolveOptions {
  /** The item's last attempt: a page that still cannot be had gives way to the feed's own text. */
  lastAttempt?: boolean;
}

/**
 * A feed item as an article: the feed's own text when it carries the whole article, else the linked page
 * fetched (under the same limits as feeds) and its article extracted. Title, date, author from the feed
 * first and the page's metadata second; the url is the page's canonical url when it names one. A link to a
 * PDF is read as a PDF: its text with a form feed ending each page, so that the article keeps its pages.
 * When the page cannot be had (gone: 404 or 410 at once; anything else on the item's last attempt), a feed
 * text of a few sentences is taken instead, and the article's front matter says so (`note`).
 */
export async function resolveItem(
  item: FeedItem,
  feed: FeedSource,
  policy: FetchPolicy,
  options: ResolveOptions = {},
): Promise<ResolvedArticle> {
  const feedText = item.content
    ? item.contentIsText
      ? item.content.trim()
      : await fragmentTextOffThread(item.content)
    : '';
  const base: ItemMeta = {
    title: toLine(item.title),
    outlet: feed.outlet,
    date: toIsoDate(item.published),
    url: item.url,
    author: item.author,
    // The item's own link is kept too: the dedupe keys are rebuilt from these files if the state is lost.
    extra: {
      feed: feed.url,
      guid: item.guid,
      link: item.url,
      ...(feed.tags?.length ? { tags: feed.tags } : {}),
    },
  };
  if (isFullText(feedText)) {
    if (!base.title) throw new ItemError('the item has no title');
    return { meta: { ...base, title: base.title }, body: feedText, from: 'feed' };
  }
  if (!item.url) {
    if (base.title && feedText.length >= MIN_ARTICLE_CHARS)
      return { meta: { ...base, title: base.title }, body: feedText, from: 'feed' };
    throw new ItemError('the item has neither a link nor its full text');
  }
  try {
    return await fromPage(item.url, policy, base, feedText);
  } catch (error) {
    const gone = error instanceof FetchError && (error.status === 404 || error.status === 410);
    const title = base.title;
    if (!(gone || options.lastAttempt) || !title || feedText.length < FEED_TEXT_FALLBACK_MIN_CHARS)
      throw error;
    const pageProblem = describeError(error);
    return {
      meta: {
        ...base,
        title,
        extra: {
          ...base.extra,
          note: `text from the feed: the linked page could not be had (${pageProblem})`,
        },
      },
      body: feedText,
      from: 'feed',
      pageProblem,
    };
  }
}

/** The linked page fetched and its article extracted (the feed's text when that is longer). */
async function fromPage(
  url: string,
  policy: FetchPolicy,
  base: ItemMeta,
  feedText: string,
): Promise<ResolvedArticle> {
  const response = await safeFetch(url, policy, {
    accept: 'text/html,application/xhtml+xml;q=0.9,application/pdf;q=0.8,*/*;q=0.5',
  });
  const type = String(response.headers['content-type'] ?? '');
  if (/application\/pdf/i.test(type) || isPdf(response.body))
    return pdfArticle(response.body, response.url, base);
  if (type && !/html|xml|text\/plain/i.test(type))
    throw new ItemError(`the linked page is ${type.split(';')[0]}, not an article`);
  if (response.body.subarray(0, 8192).includes(0)) throw new ItemError('the linked page is binary, not text');
  const html = decodeBody(response.body, type);
  const page = /text\/plain/i.test(type)
    ? { title: null, outlet: null, date: null, author: null, url: null, text: html.trim() }
    : await extractPageOffThread(html, response.url);
  const body = page.text.length >= feedText.length ? page.text : feedText;
  if (body.length < MIN_ARTICLE_CHARS)
    throw new ItemError(
      `no extractable article text on ${response.url} (${body.length} characters; at least ${MIN_ARTICLE_CHARS} needed)`,
    );
  const title = base.title ?? page.title;
  if (!title) throw new ItemError('neither the item nor its page has a title');
  return {
    meta: {
      ...base,
      title,
      date: base.date ?? page.date,
      url: page.url ?? response.url,
      author: base.author ?? page.author,
    },
    body,
    from: page.text.length >= feedText.length ? 'page' : 'feed',
  };
}

/** A linked PDF read on the parse pool's workers (bounded in time and memory, like a corpus file). */
async function pdfArticle(bytes: Buffer, url: string, base: ItemMeta): Promise<ResolvedArticle> {
  const parsed = await readFileOffThread(bytes, 'linked.pdf');
  const pdf = parsed.articles[0];
  if (!pdf) throw new ItemError(`the linked PDF cannot be read: ${parsed.skipped[0]?.reason ?? 'no text'}`);
  if (pdf.body.length < MIN_ARTICLE_CHARS)
    throw new ItemError(`the linked PDF has too little text (${pdf.body.length} characters)`);
  const title = base.title ?? pdf.title;
  if (!title) throw new ItemError('neither the item nor its PDF has a title');
  return {
    meta: {
      ...base,
      title,
      date: base.date ?? pdf.date,
      url,
      author: base.author ?? pdf.author,
    },
    body: joinPages(pdf.body, pdf.pages ?? []),
    from: 'pdf',
  };
}

function isFullText(text: string): boolean {
  if (text.length < FULL_TEXT_MIN_CHARS) return false;
  const tail = text.slice(-80).toLowerCase();
  return !/(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|read the full)\W*$/.test(tail);
}
