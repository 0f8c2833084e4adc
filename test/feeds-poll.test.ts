import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FeedList } from '../src/feeds/feed-list.js';
import { FeedStateStore } from '../src/feeds/feed-state.js';
import { FeedPoller, type PollReport } from '../src/feeds/poller.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import {
  articlePage,
  atom,
  BILLION_LAUGHS,
  externalEntity,
  jsonFeed,
  paragraphs,
  rss,
} from './helpers/feed-fixtures.js';
import {
  type FeedServer,
  huge,
  never,
  serve,
  serveDated,
  startFeedServer,
  status,
} from './helpers/feed-server.js';
import { indexedArticles, indexedBody } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const BLOG_LAST_MODIFIED = 'Thu, 19 Nov 2026 12:30:00 GMT';

let server: FeedServer;
let corpusDir: string;
let indexDir: string;
let dataDir: string;
let clock = Date.parse('2026-11-20T09:00:00Z');
let ingests = 0;
let poller: FeedPoller;
let state: FeedStateStore;
let first: PollReport;

const page = (title: string, topic: string, canonical?: string) =>
  serve(
    articlePage({ title, body: paragraphs(topic), canonical, siteName: 'Page Site', author: 'Page Author' }),
    'text/html; charset=utf-8',
  );

async function makePoller(
  feeds: Array<{ url: string; outlet: string; intervalMinutes?: number }>,
  maxItemsPerPoll = 20,
) {
  const feedsFile = path.join(dataDir, `feeds-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(feedsFile, JSON.stringify({ feeds }));
  return new FeedPoller({
    feeds: new FeedList(feedsFile),
    state,
    corpusDir,
    ingest: async () => {
      ingests++;
      return ingest({
        corpusDir,
        indexDir,
        maxFileBytes: 1024 * 1024,
        embedder: await testEmbedder('tiny-random-bert'),
        log: silentLogger(),
      });
    },
    policy: {
      timeoutMs: 2000,
      maxBytes: 1024 * 1024,
      maxRedirects: 3,
      allowPrivate: true,
      userAgent: 'clipdesk-test',
    },
    maxItemsPerPoll,
    defaultIntervalMinutes: 15,
    now: () => new Date(clock),
    random: () => 0.5,
    log: silentLogger(),
  });
}

async function feedFiles(): Promise<string[]> {
  const entries = await readdir(path.join(corpusDir, 'feeds'), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(corpusDir, path.join(e.parentPath, e.name)))
    .sort();
}

before(async () => {
  server = await startFeedServer();
  corpusDir = await copyOfShippedCorpus();
  const work = await tempDir();
  indexDir = path.join(work, 'index');
  dataDir = path.join(work, 'data');
  state = await FeedStateStore.open(dataDir);
  await ingest({
    corpusDir,
    indexDir,
    maxFileBytes: 1024 * 1024,
    embedder: await testEmbedder('tiny-random-bert'),
    log: silentLogger(),
  });

  server.route(
    '/rss.xml',
    serve(
      rss('Times', [
        {
          title: 'Full text: river bridge reopens',
          link: server.url('/a'),
          guid: 'times-a',
          pubDate: 'Thu, 19 Nov 2026 10:00:00 GMT',
          full: paragraphs('Bridge'),
          creator: 'Ann Lee',
        },
        {
          title: 'Tram line extended',
          link: server.url('/pages/b'),
          guid: 'times-b',
          pubDate: 'Thu, 19 Nov 2026 11:00:00 GMT',
          description: 'Short teaser…',
        },
      ]),
      'application/rss+xml',
      '"v1"',
    ),
  );
  server.route(
    '/atom.xml',
    serveDated(
      atom('Blog', [
        {
          title: 'Library hours change',
          link: server.url('/pages/c'),
          id: 'urn:c',
          updated: '2026-11-19T12:00:00Z',
          summary: 'teaser',
        },
        {
          title: 'Tram line extended (syndicated)',
          link: `${server.url('/pages/b')}?utm_source=atom`,
          id: 'urn:b-copy',
          updated: '2026-11-19T12:30:00Z',
        },
      ]),
      'application/atom+xml',
      BLOG_LAST_MODIFIED,
    ),
  );
  server.route(
    '/feed.json',
    serve(
      jsonFeed('J', [
        {
          id: 'j-d',
          url: server.url('/d'),
          title: 'Harbour dredging begins',
          content_text: paragraphs('Harbour').join('\n\n'),
          date_published: '2026-11-19T13:00:00Z',
        },
      ]),
      'application/feed+json',
    ),
  );
  server.route('/pages/b', page('Tram line extended', 'Tram'));
  server.route('/pages/c', page('Library hours change', 'Library'));
  server.route(
    '/thin.xml',
    serve(
      rss('Thin', [{ title: 'Empty page story', link: server.url('/pages/empty'), guid: 'thin-e' }]),
      'application/rss+xml',
    ),
  );
  server.route(
    '/pages/empty',
    serve('<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>', 'text/html'),
  );
  server.route('/404.xml', status(404));
  server.route('/500.xml', status(500));
  server.route('/loop.xml', status(302, { location: '/loop.xml' }));
  server.route('/bad.xml', serve('<rss><channel><item><title>x</channel>', 'application/rss+xml'));
  server.route(
    '/page.html',
    serve('<!doctype html><html><body><p>A home page</p></body></html>', 'text/html'),
  );
  server.route('/slow.xml', never);
  server.route('/huge.xml', huge(50));
  server.route('/bomb.xml', serve(BILLION_LAUGHS, 'application/rss+xml'));
  server.route('/xxe.xml', serve(externalEntity(server.url('/secret')), 'application/rss+xml'));

  poller = await makePoller([
    { url: server.url('/rss.xml'), outlet: 'River Times' },
    { url: server.url('/404.xml'), outlet: 'Gone' },
    { url: server.url('/500.xml'), outlet: 'Broken' },
    { url: server.url('/loop.xml'), outlet: 'Loop' },
    { url: server.url('/bad.xml'), outlet: 'Bad' },
    { url: server.url('/page.html'), outlet: 'Page' },
    { url: server.url('/slow.xml'), outlet: 'Slow' },
    { url: server.url('/huge.xml'), outlet: 'Huge' },
    { url: server.url('/bomb.xml'), outlet: 'Bomb' },
    { url: server.url('/xxe.xml'), outlet: 'XXE' },
    { url: server.url('/atom.xml'), outlet: 'City Blog' },
    { url: server.url('/feed.json'), outlet: 'Json Post' },
    { url: server.url('/thin.xml'), outlet: 'Thin' },
  ]);
  ingests = 0;
  first = await poller.pollDue();
});
after(() => server.close());

describe('feed polling', () => {
  it('writes new RSS, Atom and JSON Feed items into the corpus and the index, each once', async () => {
    assert.deepEqual(await feedFiles(), [
      'feeds/city-blog/2026-11-19-library-hours-change.md',
      'feeds/json-post/2026-11-19-harbour-dredging-begins.md',
      'feeds/river-times/2026-11-19-full-text-river-bridge-reopens.md',
      'feeds/river-times/2026-11-19-tram-line-extended.md',
    ]);
    // Each feed's articles are ingested as soon as that feed is done: three feeds wrote.
    assert.equal(ingests, 3);
    assert.equal(first.ingest?.added, 4);
    const articles = await indexedArticles(indexDir);
    const titles = articles.map((a) => a.title);
    for (const title of [
      'Full text: river bridge reopens',
      'Tram line extended',
      'Library hours change',
      'Harbour dredging begins',
    ])
      assert.equal(titles.filter((t) => t === title).length, 1, title);
    const tram = articles.find((a) => a.title === 'Tram line extended');
    assert.equal(tram?.outlet, 'River Times');
    assert.equal(tram?.author, 'Page Author');
    assert.match((await indexedBody(indexDir, 'Tram line extended')) ?? '', /^Tram paragraph 1:/);
    const bridge = await readFile(
      path.join(corpusDir, 'feeds/river-times/2026-11-19-full-text-river-bridge-reopens.md'),
      'utf8',
    );
    assert.match(
      bridge,
      /^---\ntitle: "Full text: river bridge reopens"\noutlet: "River Times"\ndate: "2026-11-19"\n/,
    );
    assert.match(bridge, /author: "Ann Lee"/);
    // Full text came with the feed: its page was never fetched.
    assert.equal(server.requestsTo('/a').length, 0);
  });

  it('names the reason of every broken feed and keeps going', () => {
    const errors = Object.fromEntries(first.feeds.map((f) => [f.outlet, f.error ?? f.status]));
    assert.equal(errors['River Times'], 'new');
    assert.equal(errors['City Blog'], 'new');
    assert.equal(errors['Json Post'], 'new');
    assert.match(errors.Gone ?? '', /HTTP 404/);
    assert.match(errors.Broken ?? '', /HTTP 500/);
    assert.match(errors.Loop ?? '', /redirect loop/);
    assert.match(errors.Bad ?? '', /malformed XML/);
    assert.match(errors.Page ?? '', /HTML page, not a feed/);
    assert.match(errors.Slow ?? '', /no complete answer within/);
    assert.match(errors.Huge ?? '', /larger than 1 MB/);
    assert.match(errors.Bomb ?? '', /declares its own XML entities/);
    assert.match(errors.XXE ?? '', /declares its own XML entities/);
    assert.equal(server.requestsTo('/secret').length, 0);
    const gone = state.feed(server.url('/404.xml'));
    assert.equal(gone.failures, 1);
    assert.equal(gone.nextPollAt, new Date(clock + 60_000).toISOString());
    assert.deepEqual(
      first.itemFailures.map((f) => [f.feed, f.item]),
      [[server.url('/thin.xml'), server.url('/pages/empty')]],
    );
    assert.match(first.itemFailures[0]?.error ?? '', /no extractable article text/);
  });

  it('polls again with conditional GET and writes nothing when nothing changed', async () => {
    clock += 16 * 60_000;
    ingests = 0;
    const before = (await feedFiles()).length;
    const report = await poller.pollDue();
    const rssRequests = server.requestsTo('/rss.xml');
    assert.equal(rssRequests.at(-1)?.headers['if-none-match'], '"v1"');
    assert.equal(report.feeds.find((f) => f.outlet === 'River Times')?.status, 'not-modified');
    // A feed with only Last-Modified is asked with If-Modified-Since; one with neither is read again.
    assert.equal(server.requestsTo('/atom.xml').at(-1)?.headers['if-modified-since'], BLOG_LAST_MODIFIED);
    assert.equal(report.feeds.find((f) => f.outlet === 'City Blog')?.status, 'not-modified');
    assert.equal(report.feeds.find((f) => f.outlet === 'Json Post')?.status, 'unchanged');
    assert.equal((await feedFiles()).length, before);
    assert.equal(ingests, 0);
  });

  it('retries a failed feed and a failed item later, and takes them once they work', async () => {
    server.route(
      '/404.xml',
      serve(
        rss('Back', [
          {
            title: 'Ferry timetable returns',
            link: server.url('/f'),
            guid: 'back-f',
            pubDate: 'Fri, 20 Nov 2026 08:00:00 GMT',
            full: paragraphs('Ferry'),
          },
        ]),
        'application/rss+xml',
      ),
    );
    server.route('/pages/empty', page('Empty page story', 'Allotment'));
    clock += 30 * 60_000;
    const report = await poller.pollDue();
    assert.equal(report.feeds.find((f) => f.outlet === 'Gone')?.status, 'new');
    assert.equal(report.retried, 1);
    assert.deepEqual(report.written.sort(), [
      'feeds/gone/2026-11-20-ferry-timetable-returns.md',
      'feeds/thin/2026-11-20-empty-page-story.md',
    ]);
    assert.equal(report.ingest?.added, 2);
    assert.equal(state.feed(server.url('/404.xml')).failures, 0);
    // Still broken: polled at each due time, the wait doubling (1 min, 2 min, then 4 min).
    const bomb = state.feed(server.url('/bomb.xml'));
    assert.equal(bomb.failures, 3);
    assert.equal(bomb.nextPollAt, new Date(clock + 4 * 60_000).toISOString());
    assert.deepEqual(Object.keys(state.current.pending), []);
  });

  it('takes at most the cap of new items per poll, and the rest at the next poll', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({
      title: `Capped story ${i + 1}`,
      link: server.url(`/cap/${i + 1}`),
      guid: `cap-${i + 1}`,
      pubDate: `Fri, 20 Nov 2026 0${i + 1}:00:00 GMT`,
      full: paragraphs(`Cap${i + 1}`),
    }));
    server.route('/cap.xml', serve(rss('Cap', items), 'application/rss+xml', '"cap"'));
    const capped = await makePoller([{ url: server.url('/cap.xml'), outlet: 'Cap', intervalMinutes: 5 }], 2);
    const one = await capped.pollDue();
    assert.deepEqual(
      one.written.map((w) => path.basename(w)),
      ['2026-11-20-capped-story-5.md', '2026-11-20-capped-story-4.md'],
    );
    clock += 6 * 60_000;
    const two = await capped.pollDue();
    assert.equal(server.requestsTo('/cap.xml').at(-1)?.headers['if-none-match'], undefined);
    assert.equal(two.written.length, 2);
    clock += 6 * 60_000;
    const three = await capped.pollDue();
    assert.equal(three.written.length, 1);
    clock += 6 * 60_000;
    const four = await capped.pollDue();
    assert.equal(server.requestsTo('/cap.xml').at(-1)?.headers['if-none-match'], '"cap"');
    assert.equal(four.written.length, 0);
  });
});
