import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extractPage } from '../src/corpus/html-extract.js';
import { parseHtmlArticle } from '../src/corpus/html-format.js';
import { parseMarkdownArticle } from '../src/corpus/markdown-format.js';
import { declaresEntities } from '../src/corpus/safe-xml.js';
import { FeedFormatError, parseFeed } from '../src/feeds/parse-feed.js';
import { isPublicAddress } from '../src/intake/address-policy.js';
import { renderArticleMarkdown } from '../src/intake/article-file.js';
import { canonicalUrl } from '../src/intake/canonical-url.js';
import { decodeBody } from '../src/intake/decode-body.js';
import { FetchError, type FetchPolicy, safeFetch } from '../src/intake/safe-fetch.js';
import {
  articlePage,
  atom,
  BILLION_LAUGHS,
  externalEntity,
  jsonFeed,
  paragraphs,
  rss,
} from './helpers/feed-fixtures.js';
import { type FeedServer, huge, never, serve, startFeedServer, status } from './helpers/feed-server.js';

const policy = (overrides: Partial<FetchPolicy> = {}): FetchPolicy => ({
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
  maxRedirects: 3,
  allowPrivate: true,
  userAgent: 'clipdesk-test',
  ...overrides,
});

describe('feed formats', () => {
  it('reads RSS 2.0 items with guid, link, date, creator and content:encoded', () => {
    const feed = parseFeed(
      rss('Times', [
        {
          title: 'Bridge "reopens": at last',
          link: 'https://example.test/a?utm_source=rss',
          guid: 'times-1',
          pubDate: 'Thu, 19 Nov 2026 10:00:00 GMT',
          creator: 'Ann Lee',
          full: ['First.', 'Second.'],
          description: 'Short.',
        },
      ]),
    );
    assert.equal(feed.format, 'rss');
    const [item] = feed.items;
    assert.equal(item?.guid, 'times-1');
    assert.equal(item?.url, 'https://example.test/a?utm_source=rss');
    assert.equal(item?.title, 'Bridge "reopens": at last');
    assert.equal(item?.published, '2026-11-19T10:00:00.000Z');
    assert.equal(item?.author, 'Ann Lee');
    assert.match(item?.content ?? '', /<p>First.<\/p>/);
    assert.equal(item?.summary, 'Short.');
  });

  it('reads Atom entries (alternate link, id, updated, author, summary)', () => {
    const feed = parseFeed(
      atom('Blog', [
        {
          title: 'Atom one',
          link: 'https://example.test/atom-1',
          id: 'urn:1',
          updated: '2026-11-18T07:00:00Z',
          summary: 'S',
          author: 'Bo',
        },
      ]),
    );
    assert.equal(feed.format, 'atom');
    assert.deepEqual(
      { ...feed.items[0] },
      {
        guid: 'urn:1',
        url: 'https://example.test/atom-1',
        title: 'Atom one',
        published: '2026-11-18T07:00:00.000Z',
        author: 'Bo',
        content: null,
        contentIsText: true,
        summary: 'S',
      },
    );
  });

  it('reads JSON Feed items with content_text as plain text', () => {
    const feed = parseFeed(
      jsonFeed('J', [
        {
          id: 7,
          url: 'https://example.test/j',
          title: 'J one',
          content_text: 'Plain body',
          date_published: '2026-11-17T00:00:00Z',
          authors: [{ name: 'Cy' }],
        },
      ]),
    );
    assert.equal(feed.format, 'json');
    assert.equal(feed.items[0]?.guid, '7');
    assert.equal(feed.items[0]?.contentIsText, true);
    assert.equal(feed.items[0]?.author, 'Cy');
  });

  it('refuses malformed XML, HTML pages and JSON that is not a JSON Feed, saying which', () => {
    assert.throws(() => parseFeed('<rss><channel><item></channel></rss>'), /malformed XML/);
    assert.throws(
      () =>
        parseFeed(
          '<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>hi</body></html>',
        ),
      /HTML page, not a feed \(the page names a feed at \/feed\.xml\)/,
    );
    assert.throws(() => parseFeed('{"items": []}'), /not a JSON Feed/);
    assert.throws(
      () => parseFeed('<opml version="2.0"><body/></opml>'),
      /<opml> root is not an RSS or Atom feed/,
    );
  });

  it('refuses a billion-laughs feed at once, without expanding anything', () => {
    // Refused by the look at the prolog, before any parser sees the document: nothing can be expanded.
    assert.ok(declaresEntities(BILLION_LAUGHS));
    assert.throws(
      () => parseFeed(BILLION_LAUGHS),
      (e: unknown) =>
        e instanceof FeedFormatError &&
        /declares its own XML entities/.test(e.message) &&
        !/lol/.test(e.message),
    );
  });

  it('refuses an external-entity feed and never reads the entity target', async () => {
    const server = await startFeedServer();
    try {
      server.route('/secret', serve('TOP SECRET', 'text/plain'));
      assert.throws(() => parseFeed(externalEntity(server.url('/secret'))), /declares its own XML entities/);
      assert.throws(() => parseFeed(externalEntity('file:///etc/passwd')), /declares its own XML entities/);
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('article pages', () => {
  const page = articlePage({
    title: 'Harbour dredging starts',
    body: paragraphs('Harbour'),
    canonical: 'https://news.example.test/harbour?utm_medium=x',
    siteName: 'Coast Gazette',
    published: '2026-11-19T06:30:00+01:00',
    author: 'Dee Park',
  });

  it('takes metadata from meta tags and JSON-LD, and only the article text', () => {
    const extracted = extractPage(page, 'https://news.example.test/harbour-amp');
    assert.equal(extracted.title, 'Harbour dredging starts');
    assert.equal(extracted.outlet, 'Coast Gazette');
    assert.equal(extracted.date, '2026-11-19');
    assert.equal(extracted.author, 'Dee Park');
    assert.equal(extracted.url, 'https://news.example.test/harbour?utm_medium=x');
    assert.match(extracted.text, /^Harbour paragraph 1: /m);
    assert.doesNotMatch(extracted.text, /Home|Sport|Copyright|__pageScriptRan/);
    assert.equal(extracted.text.split('\n\n').length, 4);
  });

  it('never runs a script from a page', () => {
    extractPage(page, null);
    parseHtmlArticle(page, 'x.html');
    assert.equal((globalThis as Record<string, unknown>).__pageScriptRan, undefined);
  });

  it('reads .html corpus files as articles, and skips a page without text', () => {
    const parsed = parseHtmlArticle(page, 'saved/harbour.html');
    assert.equal(parsed.articles[0]?.title, 'Harbour dredging starts');
    assert.equal(parsed.articles[0]?.outlet, 'Coast Gazette');
    const empty = parseHtmlArticle(
      '<html><head><title>Empty</title></head><body><script>x()</script></body></html>',
      'e.html',
    );
    assert.deepEqual(empty.skipped, [{ source: 'e.html', reason: 'no readable text in the page' }]);
  });
});

describe('article files', () => {
  it('keep hostile titles, YAML tags and --- lines as plain text through a round trip', () => {
    const title = 'He said: "no" --- then \'yes\' #1 !!js/function {a: b} & *alias';
    const body = 'First paragraph.\n\n---\n\nAfter a rule.\n---\nStill body.';
    const text = renderArticleMarkdown(
      {
        title,
        outlet: 'A: B',
        date: '2026-11-20',
        url: 'https://x.test/a',
        author: null,
        extra: { guid: '---' },
      },
      body,
    );
    const parsed = parseMarkdownArticle(text, 'a.md');
    assert.equal(parsed.articles[0]?.title, title);
    assert.equal(parsed.articles[0]?.outlet, 'A: B');
    assert.equal(parsed.articles[0]?.body, body);
    assert.equal(parsed.articles[0]?.date, '2026-11-20');
  });
});

describe('addresses and urls', () => {
  it('allows only public addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '2001:db8::1',
      '2002:7f00:1::1',
      '64:ff9b::7f00:1',
      '224.0.0.1',
    ])
      assert.equal(isPublicAddress(a), false, a);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111'])
      assert.equal(isPublicAddress(a), true, a);
  });

  it('gives links to one article one canonical form', () => {
    assert.equal(
      canonicalUrl('https://WWW.Example.test/a/?utm_source=x&b=2&a=1#top'),
      canonicalUrl('http://example.test/a?a=1&b=2'),
    );
    assert.notEqual(canonicalUrl('https://example.test/a?id=1'), canonicalUrl('https://example.test/a?id=2'));
  });
});

describe('safe fetch', () => {
  let server: FeedServer;
  before(async () => {
    server = await startFeedServer();
  });
  after(() => server.close());

  it('refuses loopback addresses unless private addresses are allowed, before any request', async () => {
    server.route('/ok', serve('fine', 'text/plain'));
    await assert.rejects(
      safeFetch(server.url('/ok'), policy({ allowPrivate: false })),
      (e: unknown) => e instanceof FetchError && e.kind === 'blocked',
    );
    await assert.rejects(
      safeFetch('http://localhost:9/x', policy({ allowPrivate: false })),
      (e: unknown) => e instanceof FetchError && e.kind === 'blocked',
    );
    assert.equal(server.requestsTo('/ok').length, 0);
    assert.equal((await safeFetch(server.url('/ok'), policy())).body.toString(), 'fine');
  });

  it('refuses other schemes, also behind a redirect', async () => {
    await assert.rejects(safeFetch('file:///etc/passwd', policy()), /only http and https/);
    server.route('/to-file', status(302, { location: 'file:///etc/passwd' }));
    await assert.rejects(safeFetch(server.url('/to-file'), policy()), /only http and https/);
  });

  it('stops a body at the byte limit while it streams, not after', async () => {
    let finished = false;
    server.route('/huge', (req, res) => {
      res.on('finish', () => {
        finished = true;
      });
      huge(50)(req, res);
    });
    await assert.rejects(
      safeFetch(server.url('/huge'), policy()),
      (e: unknown) => e instanceof FetchError && e.kind === 'too-large',
    );
    assert.equal(finished, false);
    server.route('/announced', (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('x');
    });
    await assert.rejects(safeFetch(server.url('/announced'), policy()), /larger than 1 MB/);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    server.route('/slow', never);
    await assert.rejects(
      safeFetch(server.url('/slow'), policy({ timeoutMs: 200 })),
      (e: unknown) => e instanceof FetchError && e.kind === 'timeout',
    );
  });

  it('refuses redirect loops and too many redirects', async () => {
    server.route('/loop-a', status(302, { location: '/loop-b' }));
    server.route('/loop-b', status(301, { location: '/loop-a' }));
    await assert.rejects(safeFetch(server.url('/loop-a'), policy()), /redirect loop/);
    for (let i = 0; i < 5; i++) server.route(`/hop-${i}`, status(307, { location: `/hop-${i + 1}` }));
    server.route('/hop-5', serve('end', 'text/plain'));
    await assert.rejects(safeFetch(server.url('/hop-0'), policy()), /more than 3 redirects/);
    assert.equal((await safeFetch(server.url('/hop-3'), policy())).url, server.url('/hop-5'));
  });

  it('reports HTTP errors with their status', async () => {
    server.route('/gone', status(500));
    await assert.rejects(
      safeFetch(server.url('/gone'), policy()),
      (e: unknown) => e instanceof FetchError && e.status === 500,
    );
  });
});

describe('charsets', () => {
  it('decodes a feed or page in the charset it declares', () => {
    const latin1 = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title></channel></rss>',
      'latin1',
    );
    assert.equal(parseFeed(decodeBody(latin1)).title, 'Café');
    assert.equal(decodeBody(Buffer.from('na\xefve', 'latin1'), 'text/html; charset=windows-1252'), 'naïve');
    assert.equal(
      decodeBody(Buffer.from('<meta charset="iso-8859-1"><p>\xe0 la carte</p>', 'latin1')),
      '<meta charset="iso-8859-1"><p>à la carte</p>',
    );
    assert.equal(decodeBody(Buffer.from('Zoë', 'utf8')), 'Zoë');
  });
});
