import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pageSpan } from '../src/corpus/pages.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { FeedList } from '../src/feeds/feed-list.js';
import { FeedStateStore } from '../src/feeds/feed-state.js';
import { FeedPoller } from '../src/feeds/poller.js';
import { silentLogger } from '../src/logger.js';
import { rss } from './helpers/feed-fixtures.js';
import { type FeedServer, serve, startFeedServer } from './helpers/feed-server.js';
import { buildPdf, columnTexts, wrap } from './helpers/pdf-writer.js';
import { tempDir } from './helpers/temp.js';

let server: FeedServer;
before(async () => {
  server = await startFeedServer();
});
after(() => server.close());

const PAGE_ONE = wrap(
  'The coastal path survey walked all forty miles of the path between the two harbours during the summer and noted every stile, gate and bridge along the way for the council.',
  70,
);
const PAGE_TWO = wrap(
  'Surveyors found that nineteen wooden bridges need new decking before the winter, and the council has set aside money for the work in its spring budget for the coming year.',
  70,
);

describe('a feed item that links to a PDF', () => {
  it('is read as a PDF and written with its pages, so that its quotes know their page', async () => {
    const pdf = buildPdf([{ texts: columnTexts(PAGE_ONE) }, { texts: columnTexts(PAGE_TWO) }], {
      info: { Title: 'Coastal path survey', Author: 'Ranger Service', CreationDate: 'D:20261110' },
    });
    server.route('/reports/path.pdf', serve(pdf, 'application/pdf'));
    server.route(
      '/rss.xml',
      serve(
        rss('Council notices', [
          { title: 'Coastal path survey published', link: server.url('/reports/path.pdf'), guid: 'path-1' },
        ]),
        'application/rss+xml',
      ),
    );
    const corpusDir = await tempDir();
    const dataDir = await tempDir();
    const feedsFile = path.join(dataDir, 'feeds.json');
    await writeFile(
      feedsFile,
      JSON.stringify({ feeds: [{ url: server.url('/rss.xml'), outlet: 'Council' }] }),
    );
    const poller = new FeedPoller({
      feeds: new FeedList(feedsFile),
      state: await FeedStateStore.open(dataDir),
      corpusDir,
      ingest: async () => ({}) as never,
      policy: { timeoutMs: 2000, maxBytes: 1024 * 1024, maxRedirects: 3, allowPrivate: true, userAgent: 't' },
      maxItemsPerPoll: 20,
      defaultIntervalMinutes: 15,
      now: () => new Date('2026-11-20T09:00:00Z'),
      random: () => 0.5,
      log: silentLogger(),
    });
    const report = await poller.pollAll();
    assert.deepEqual(report.written, ['feeds/council/2026-11-10-coastal-path-survey-published.md']);
    const file = await readFile(path.join(corpusDir, report.written[0] as string), 'utf8');
    assert.match(
      file,
      /^---\ntitle: "Coastal path survey published"\noutlet: "Council"\ndate: "2026-11-10"\n/,
    );
    assert.match(file, /author: "Ranger Service"/);
    assert.equal((file.match(/\f/g) ?? []).length, 2, 'a form feed ends each page');

    const { articles } = await readCorpus(corpusDir, { maxFileBytes: 1024 * 1024 });
    const [article] = articles;
    assert.ok(article?.pages, 'the article knows its pages');
    assert.equal(article.body, `${PAGE_ONE.join(' ')}\n${PAGE_TWO.join(' ')}`);
    const fact = article.body.indexOf('nineteen wooden bridges');
    assert.deepEqual(pageSpan(article.pages, fact, fact + 10), { first: 2, last: 2 });
  });
});
