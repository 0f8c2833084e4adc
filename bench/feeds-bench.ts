/**
 * Feed figures: on an index of at least BENCH_FEEDS_PASSAGES passages (default 20,000), the time from a new
 * feed item to "answerable by /ask" (poll, write, ingest, search refresh, the question answered from it),
 * and the ingest cost of one new article. Model: BENCH_FEEDS_MODEL, default ../shared/models/use-static-128
 * (test/models/use-static-128 when ../shared is absent). Everything runs on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Embedder } from '../src/embedding/embedder.js';
import { FeedList } from '../src/feeds/feed-list.js';
import { FeedStateStore } from '../src/feeds/feed-state.js';
import { FeedPoller } from '../src/feeds/poller.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/search/search-service.js';
import { buildBenchCorpus } from './corpus-builder.js';

const ARTICLE = [
  'The Lowmoor glassworks will reopen its furnace in March after a two-year closure, the owners said on Monday.',
  'Forty glassblowers are to be rehired, and the works will make lamp shades for a Danish lighting firm under a five-year contract.',
  'The furnace was shut when gas prices doubled. The owners said a heat-recovery boiler, paid for with a regional grant, now halves its fuel bill.',
  'Apprentices will be trained at the works from September, in a scheme run with the town college, which has restarted its glass course.',
  'The town council, which owns the site, has agreed a ten-year lease at a reduced rent, and the bus company will add an early service for the morning shift.',
];

export async function runFeedsBench(): Promise<Record<string, unknown>> {
  const targetPassages = Number(process.env.BENCH_FEEDS_PASSAGES ?? 20_000);
  const shared = path.resolve('../shared/models/use-static-128');
  const model =
    process.env.BENCH_FEEDS_MODEL ??
    (existsSync(shared) ? shared : path.resolve('test/models/use-static-128'));
  const log = silentLogger();
  const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-bench-feeds-'));
  let item = 0;
  const server = http.createServer((_req, res) => {
    const items = Array.from(
      { length: item },
      (_, i) =>
        `<item><title>Glassworks furnace to reopen ${i + 1}</title><link>http://127.0.0.1/glass/${i + 1}</link><guid>glass-${i + 1}</guid><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate><content:encoded><![CDATA[${ARTICLE.map((p) => `<p>${p} (${i + 1})</p>`).join('')}]]></content:encoded></item>`,
    ).join('');
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(
      `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title>${items}</channel></rss>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`;
  try {
    const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
    const corpusDir = path.join(work, 'corpus');
    const indexDir = path.join(work, 'index');
    await buildBenchCorpus(path.resolve('corpus'), corpusDir, Math.max(1, Math.ceil(targetPassages / 60)));
    const built = await ingest({ corpusDir, indexDir, maxFileBytes: 20 * 1024 * 1024, embedder, log });
    const search = await SearchService.open({ indexDir, embedder, log });
    const feedsFile = path.join(work, 'feeds.json');
    await writeFile(feedsFile, JSON.stringify({ feeds: [{ url: feedUrl, outlet: 'Bench Post' }] }));
    const timing = { started: 0, ingest: 0, refresh: 0 };
    const poller = new FeedPoller({
      feeds: new FeedList(feedsFile),
      state: await FeedStateStore.open(path.join(work, 'data')),
      corpusDir,
      // The bot's seam: ingest, then the search picks up the new generation.
      ingest: async () => {
        const t0 = performance.now();
        timing.started = t0;
        const result = await ingest({ corpusDir, indexDir, maxFileBytes: 20 * 1024 * 1024, embedder, log });
        const t1 = performance.now();
        await search.refresh();
        timing.ingest = t1 - t0;
        timing.refresh = performance.now() - t1;
        return result;
      },
      policy: {
        timeoutMs: 10_000,
        maxBytes: 10 * 1024 * 1024,
        maxRedirects: 5,
        allowPrivate: true,
        userAgent: 'clipdesk-bench',
      },
      maxItemsPerPoll: 20,
      defaultIntervalMinutes: 15,
      now: () => new Date(),
      log,
    });
    const question = 'When will the Lowmoor glassworks furnace reopen?';
    const runs: Array<{
      total: number;
      poll: number;
      ingest: number;
      refresh: number;
      search: number;
      answered: boolean;
    }> = [];
    for (let run = 0; run < 3; run++) {
      item++;
      const t0 = performance.now();
      const report = await poller.pollAll();
      const t1 = performance.now();
      const { results } = await search.search(question, { limit: 5 });
      const total = performance.now() - t0;
      const answered = results.some((r) => r.title === `Glassworks furnace to reopen ${item}`);
      if (report.written.length !== 1)
        throw new Error(`expected one new article, got ${report.written.length}`);
      runs.push({
        total,
        poll: timing.started - t0,
        ingest: timing.ingest,
        refresh: timing.refresh,
        search: performance.now() - t1,
        answered,
      });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const figures = {
      feeds_model: path.basename(model),
      feeds_index_passages: built.summary.passages,
      feed_item_to_answerable_ms: Math.round(median(runs.map((r) => r.total))),
      feed_item_to_answerable_runs_ms: runs.map((r) => Math.round(r.total)),
      feed_item_answered: runs.every((r) => r.answered),
      feed_poll_and_write_ms: Math.round(median(runs.map((r) => r.poll))),
      feed_answer_search_ms: Math.round(median(runs.map((r) => r.search))),
      one_article_ingest_ms: Math.round(median(runs.map((r) => r.ingest))),
      one_article_search_refresh_ms: Math.round(median(runs.map((r) => r.refresh))),
      feeds_rss_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    };
    console.log(
      `feeds: new item to answerable by /ask in ${figures.feed_item_to_answerable_ms} ms (median of 3: ${figures.feed_item_to_answerable_runs_ms.join(', ')} ms; answered: ${figures.feed_item_answered}) ` +
        `on ${figures.feeds_index_passages} passages with ${figures.feeds_model}: poll and write ${figures.feed_poll_and_write_ms} ms, ` +
        `ingest of the one new article ${figures.one_article_ingest_ms} ms, search refresh ${figures.one_article_search_refresh_ms} ms, the question ${figures.feed_answer_search_ms} ms`,
    );
    console.log(JSON.stringify(figures));
    await embedder.dispose();
    return figures;
  } finally {
    server.closeAllConnections();
    server.close();
    await rm(work, { recursive: true, force: true });
  }
}
