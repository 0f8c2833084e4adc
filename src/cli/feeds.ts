import '../load-env.js';
import { loadCoreConfig, loadFeedsConfig } from '../config.js';
import { Embedder } from '../embedding/embedder.js';
import { FeedList } from '../feeds/feed-list.js';
import { FeedStateStore } from '../feeds/feed-state.js';
import { FeedPoller, type PollReport } from '../feeds/poller.js';
import { feedStatuses, formatStatusTable, noFeedsMessage } from '../feeds/status-format.js';
import { type IngestResult, ingest } from '../ingest/ingest.js';
import { formatSummary } from '../ingest/progress.js';
import { feedFetchPolicy } from '../living-archive.js';
import { createLogger } from '../logger.js';
import { printableName } from '../util/printable.js';
import { runCli } from './context.js';

/**
 * `npm run feeds`: polls every feed once, writes what is new into the corpus, ingests it, prints a
 * summary and exits (for cron, and for tests). `npm run feeds -- --status` prints each feed's last
 * success, last error and next poll without polling. Exit code 1 when a feed failed.
 */
runCli(async () => {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--status');
  if (unknown.length) throw new Error(`unknown argument ${unknown[0]}; usage: npm run feeds [-- --status]`);
  const core = loadCoreConfig(process.env);
  const feeds = loadFeedsConfig(process.env);
  const log = createLogger({
    level: process.env.LOG_LEVEL ? core.logLevel : 'error',
    fd: 2,
    pretty: core.logPretty,
  });
  const list = new FeedList(feeds.feedsFile);
  const now = () => new Date();
  const state = await FeedStateStore.open(core.dataDir, { corpusDir: core.corpusDir, log, now });

  if (args.includes('--status')) {
    const statuses = feedStatuses(
      await list.load(),
      (url) => state.feed(url),
      Object.values(state.current.pending),
      feeds.feedsIntervalMinutes,
    );
    process.stdout.write(`${formatStatusTable(statuses, now(), feeds.feedsFile)}\n`);
    return;
  }

  let embedder: Embedder | null = null;
  const poller = new FeedPoller({
    feeds: list,
    state,
    corpusDir: core.corpusDir,
    // The model is loaded only when there is something to ingest.
    ingest: async (changed): Promise<IngestResult> => {
      embedder ??= await Embedder.load({
        model: core.embeddingModel,
        dtype: core.embeddingDtype,
        cacheDir: core.modelCacheDir,
      });
      return ingest({
        corpusDir: core.corpusDir,
        indexDir: core.indexDir,
        maxFileBytes: core.maxFileBytes,
        backend: core.indexBackend,
        changed,
        embedder,
        log,
        now,
        maintenance: 'await',
      });
    },
    policy: feedFetchPolicy(feeds),
    maxItemsPerPoll: feeds.feedsMaxItemsPerPoll,
    defaultIntervalMinutes: feeds.feedsIntervalMinutes,
    now,
    log,
  });
  const report = await poller.pollAll();
  process.stdout.write(formatReport(report, feeds.feedsFile));
  if (report.ingest) process.stdout.write(formatSummary({ summary: report.ingest } as IngestResult));
  await (embedder as Embedder | null)?.dispose();
  if (report.listError || report.ingestError || report.feeds.some((f) => f.status === 'failed'))
    process.exitCode = 1;
});

function formatReport(report: PollReport, feedsFile: string): string {
  const lines: string[] = [];
  if (report.listError) lines.push(`Feeds file: ${report.listError}`);
  if (report.feeds.length === 0 && !report.listError) lines.push(noFeedsMessage(feedsFile));
  for (const f of report.feeds) {
    const what =
      f.status === 'failed'
        ? `FAILED: ${f.error}`
        : f.status === 'not-modified'
          ? 'not modified'
          : `${f.written} new${f.failedItems ? `, ${f.failedItems} item(s) failed (retried later)` : ''}`;
    lines.push(`${f.outlet} (${f.url}): ${what}`);
  }
  for (const i of report.itemFailures) lines.push(`  item ${i.item} of ${i.feed}: ${i.error}`);
  if (report.retried) lines.push(`Retried ${report.retried} earlier failed item(s).`);
  lines.push(`Articles written: ${report.written.length}`);
  for (const w of report.written) lines.push(`  ${printableName(w)}`);
  if (report.ingestError) lines.push(`Ingest failed: ${report.ingestError}`);
  return `${lines.join('\n')}\n`;
}
