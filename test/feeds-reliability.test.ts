import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FeedList } from '../src/feeds/feed-list.js';
import { FeedStateStore } from '../src/feeds/feed-state.js';
import { FeedPoller } from '../src/feeds/poller.js';
import { MAX_ITEM_ATTEMPTS } from '../src/feeds/schedule.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { paragraphs, rss } from './helpers/feed-fixtures.js';
import { type FeedServer, serve, startFeedServer, status } from './helpers/feed-server.js';
import { indexedBody } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

let server: FeedServer;
let corpusDir: string;
let indexDir: string;
let dataDir: string;
let clock = Date.parse('2026-11-20T09:00:00Z');
/** Every ingest the pollers ran: the files it was given. */
let ingests: string[][];

before(async () => {
  server = await startFeedServer();
});
after(() => server.close());
beforeEach(async () => {
  const work = await tempDir();
  corpusDir = path.join(work, 'corpus');
  indexDir = path.join(work, 'index');
  dataDir = path.join(work, 'data');
  ingests = [];
});

async function makePoller(
  feeds: Array<{ url: string; outlet: string }>,
  extra: Partial<ConstructorParameters<typeof FeedPoller>[0]> = {},
) {
  const feedsFile = path.join(dataDir, 'feeds.json');
  await mkdir(dataDir, { recursive: true });
  await writeFile(feedsFile, JSON.stringify({ feeds }));
  return new FeedPoller({
    feeds: new FeedList(feedsFile),
    state: await FeedStateStore.open(dataDir, { corpusDir }),
    corpusDir,
    ingest: async (changed) => {
      ingests.push([...(changed ?? [])]);
      return ingest({
        corpusDir,
        indexDir,
        changed,
        maxFileBytes: 1024 * 1024,
        embedder: await testEmbedder('tiny-random-bert'),
        log: silentLogger(),
        maintenance: 'skip',
      });
    },
    policy: {
      timeoutMs: 1000,
      maxBytes: 1024 * 1024,
      maxRedirects: 3,
      allowPrivate: true,
      userAgent: 'test',
    },
    maxItemsPerPoll: 20,
    defaultIntervalMinutes: 15,
    now: () => new Date(clock),
    random: () => 0.5,
    log: silentLogger(),
    ...extra,
  });
}

const feedFiles = async () =>
  (await readdir(path.join(corpusDir, 'feeds'), { recursive: true }).catch(() => []))
    .filter((f) => f.endsWith('.md'))
    .sort();

describe('a short feed item whose page is gone', () => {
  const teaser =
    'The harbour board approved a new dredging contract on Monday. Work on the eastern channel starts in spring. The board expects the channel to reopen to cargo ships by autumn.';

  it('reaches the archive from the feed’s own text, and its file says so', async () => {
    server.route(
      '/short.xml',
      serve(
        rss('Short', [
          {
            title: 'Dredging contract approved',
            link: server.url('/gone/1'),
            guid: 'short-1',
            description: teaser,
          },
        ]),
        'application/rss+xml',
      ),
    );
    // /gone/1 is not routed: the server answers 404.
    const poller = await makePoller([{ url: server.url('/short.xml'), outlet: 'Harbour News' }]);
    const report = await poller.pollDue();
    assert.deepEqual(report.itemFailures, []);
    assert.equal(report.written.length, 1);
    assert.equal(await indexedBody(indexDir, 'Dredging contract approved'), teaser);
    const file = await readFile(path.join(corpusDir, report.written[0] as string), 'utf8');
    assert.match(file, /note: "text from the feed: the linked page could not be had \(HTTP 404/);
  });

  it('a page that keeps failing otherwise is retried, and the feed’s text is taken at the last attempt', async () => {
    server.route(
      '/flaky.xml',
      serve(
        rss('Flaky', [
          {
            title: 'Channel survey published',
            link: server.url('/down/1'),
            guid: 'flaky-1',
            description: teaser,
          },
        ]),
        'application/rss+xml',
      ),
    );
    server.route('/down/1', status(503));
    const poller = await makePoller([{ url: server.url('/flaky.xml'), outlet: 'Harbour News' }]);
    let report = await poller.pollDue();
    assert.equal(report.written.length, 0, 'a 503 may pass: retried first');
    for (let attempt = 2; attempt <= MAX_ITEM_ATTEMPTS; attempt++) {
      clock += 24 * 3_600_000;
      report = await poller.pollDue();
    }
    assert.equal(report.written.length, 1);
    assert.match(await readFile(path.join(corpusDir, report.written[0] as string), 'utf8'), /HTTP 503/);
    assert.equal(await indexedBody(indexDir, 'Channel survey published'), teaser);
  });
});

describe('a lost feeds-state.json', () => {
  it('never writes an item twice: the dedupe keys are rebuilt from the feed articles in the corpus', async () => {
    const items = Array.from({ length: 3 }, (_, i) => ({
      title: `Ferry story ${i + 1}`,
      link: server.url(`/ferry/${i + 1}`),
      guid: `ferry-${i + 1}`,
      full: paragraphs(`Ferry${i + 1}`, 6),
    }));
    // The third has no guid: it is known by its link alone.
    delete (items[2] as { guid?: string }).guid;
    server.route('/ferry.xml', serve(rss('Ferry', items), 'application/rss+xml'));
    const feeds = [{ url: server.url('/ferry.xml'), outlet: 'Ferry Post' }];
    const first = await (await makePoller(feeds)).pollDue();
    assert.equal(first.written.length, 3);
    const before = await feedFiles();
    await rm(path.join(dataDir, 'feeds-state.json'));
    clock += 3_600_000;
    const again = await (await makePoller(feeds)).pollDue();
    assert.deepEqual(again.written, []);
    assert.deepEqual(await feedFiles(), before, 'no "-<hash>.md" copies beside the originals');
  });
});

describe('slow feeds', () => {
  it('a feed whose item pages hang stops at its time budget; another feed’s articles are in the index meanwhile', async () => {
    const slowItems = Array.from({ length: 5 }, (_, i) => ({
      title: `Hanging story ${i + 1}`,
      link: server.url(`/hang/${i + 1}`),
      guid: `hang-${i + 1}`,
      description: 'teaser…',
    }));
    server.route('/slow-items.xml', serve(rss('Slow', slowItems), 'application/rss+xml'));
    server.route(
      '/fast.xml',
      serve(
        rss('Fast', [
          {
            title: 'Lighthouse repainted',
            link: server.url('/x'),
            guid: 'fast-1',
            full: paragraphs('Lighthouse', 6),
          },
        ]),
        'application/rss+xml',
      ),
    );
    let finishedHangs = 0;
    let fastIngestedWhileSlowHung = false;
    for (let i = 1; i <= 5; i++)
      server.route(`/hang/${i}`, (_req, res) => {
        // Each hanging page costs the poll its timeout: a minute and a half on the poll's clock.
        clock += 90_000;
        res.on('close', () => finishedHangs++);
      });
    const poller = await makePoller(
      [
        { url: server.url('/slow-items.xml'), outlet: 'Slow' },
        { url: server.url('/fast.xml'), outlet: 'Fast' },
      ],
      {
        feedBudgetMs: 120_000,
        ingest: async (changed) => {
          ingests.push([...(changed ?? [])]);
          if (changed?.some((c) => c.includes('lighthouse')) && finishedHangs === 0)
            fastIngestedWhileSlowHung = true;
          return ingest({
            corpusDir,
            indexDir,
            changed,
            maxFileBytes: 1024 * 1024,
            embedder: await testEmbedder('tiny-random-bert'),
            log: silentLogger(),
            maintenance: 'skip',
          });
        },
      },
    );
    const report = await poller.pollDue();
    const hangRequests = server.requests.filter((r) => r.path.startsWith('/hang/')).length;
    assert.equal(hangRequests, 2, 'the slow feed stopped once its two minutes were used');
    assert.equal(report.deferred, 3, 'the other three wait for the next poll, untried');
    assert.equal(report.itemFailures.length, 2);
    assert.ok(
      fastIngestedWhileSlowHung,
      'the fast feed’s article was ingested while the slow feed still waited',
    );
    assert.equal(
      await indexedBody(indexDir, 'Lighthouse repainted').then((b) => b?.slice(0, 22)),
      'Lighthouse paragraph 1',
    );
  });

  it('a poll stops taking items when the whole poll has used its time', async () => {
    const feeds = Array.from({ length: 3 }, (_, f) => {
      const url = `/poll-slow-${f}.xml`;
      server.route(
        url,
        serve(
          rss(
            `S${f}`,
            Array.from({ length: 3 }, (_, i) => ({
              title: `S${f} story ${i}`,
              link: server.url(`/ph/${f}/${i}`),
              guid: `ph-${f}-${i}`,
              description: 'teaser…',
            })),
          ),
          'application/rss+xml',
        ),
      );
      for (let i = 0; i < 3; i++)
        server.route(`/ph/${f}/${i}`, () => {
          clock += 60_000; // a page that hangs until the fetch timeout: a minute on the poll's clock
        });
      return { url: server.url(url), outlet: `S${f}` };
    });
    const poller = await makePoller(feeds, { feedBudgetMs: 10 * 60_000, pollBudgetMs: 4 * 60_000 });
    const report = await poller.pollDue();
    const tried = server.requests.filter((r) => r.path.startsWith('/ph/')).length;
    assert.ok(tried <= 6, `at most the poll's four minutes of pages and the ones under way (${tried})`);
    assert.equal(report.deferred, 9 - tried);
  });
});
