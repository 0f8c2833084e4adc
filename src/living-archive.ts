import type { BotConfig } from './config.js';
import type { SkippedSource } from './corpus/article.js';
import type { Digest, DigestBuilder } from './digest/build.js';
import type { DeliveryResult } from './digest/delivery.js';
import { InstantAlerts } from './digest/instant.js';
import { InstantStore } from './digest/instant-store.js';
import type { SubscriptionStore } from './digest/store.js';
import type { Subscription } from './digest/subscription.js';
import { FeedList } from './feeds/feed-list.js';
import { FeedStateStore } from './feeds/feed-state.js';
import { FeedPoller } from './feeds/poller.js';
import type { IngestResult } from './ingest/ingest.js';
import { addLink, addUpload, type UploadInput } from './intake/add-source.js';
import { canonicalUrl } from './intake/canonical-url.js';
import type { IngestCorpus } from './intake/ingest-seam.js';
import type { FetchPolicy } from './intake/safe-fetch.js';
import type { Logger } from './logger.js';
import type { SearchService } from './search/search-service.js';
import type { ArticleMeta } from './store/article-view.js';
import { realTimers } from './util/timers.js';
import { readVersion } from './version.js';
import { CorpusWatcher } from './watch/corpus-watcher.js';

/** The fetch limits of feeds (and of links given to /add). */
export function feedFetchPolicy(
  feeds: BotConfig['feeds'],
  maxBytes = feeds.feedsMaxResponseBytes,
): FetchPolicy {
  return {
    timeoutMs: feeds.feedsTimeoutMs,
    maxBytes,
    maxRedirects: 5,
    allowPrivate: feeds.feedsAllowPrivate,
    userAgent: `Clipdesk/${readVersion()} (newsroom archive; feed reader)`,
  };
}

export interface LivingArchiveOptions {
  config: Readonly<BotConfig>;
  log: Logger;
  search: SearchService;
  /** The plain incremental ingest (ingest + search refresh). */
  reindex: IngestCorpus;
  now: () => Date;
  digests: {
    store: SubscriptionStore;
    builder: DigestBuilder;
    deliver: (subscription: Subscription, digest: Digest) => Promise<DeliveryResult>;
    notifyPaused: (subscription: Subscription, reason: string) => Promise<void>;
  };
}

/**
 * Everything that brings articles in while the bot runs: feeds, the watched corpus folder, /add; and the
 * instant alerts that follow each ingest. All of them ingest through `ingestCorpus`, the one seam.
 */
export class LivingArchive {
  readonly ingestCorpus: IngestCorpus;
  readonly pageFetchPolicy: FetchPolicy;
  readonly uploadFetchPolicy: FetchPolicy;
  /**
   * The ingest `start` runs to bring the index in line with the corpus (null until started; resolves to
   * null when it failed, which is logged).
   */
  reconciled: Promise<IngestResult | null> | null = null;
  private started = { value: false };

  private constructor(
    private readonly options: LivingArchiveOptions,
    readonly feedList: FeedList,
    readonly feedState: FeedStateStore,
    readonly instant: InstantAlerts,
    readonly watcher: CorpusWatcher | null,
    readonly poller: FeedPoller,
  ) {
    this.ingestCorpus = this.poller.ingestSeam;
    const feeds = options.config.feeds;
    this.pageFetchPolicy = feedFetchPolicy(feeds);
    this.uploadFetchPolicy = feedFetchPolicy(feeds, feeds.addMaxFileBytes);
  }

  static async open(options: LivingArchiveOptions): Promise<LivingArchive> {
    const { config, log, now } = options;
    const feeds = config.feeds;
    const started = { value: false };
    const instant = new InstantAlerts({
      subscriptions: options.digests.store,
      builder: options.digests.builder,
      progress: await InstantStore.open(config.dataDir, { log: log.child({ module: 'instant' }), now }),
      articles: () => options.search.articles,
      deliver: options.digests.deliver,
      notifyPaused: options.digests.notifyPaused,
      now,
      log: log.child({ module: 'instant' }),
      minIntervalMs: feeds.instantMinIntervalMs,
      maxFailures: config.digestMaxFailures,
      // Only once started: a bot driven by hand (tests) runs alerts itself.
      timers: {
        set: (fn, ms) => (started.value ? realTimers.set(fn, ms) : undefined),
        clear: realTimers.clear,
      },
    });
    let watcher: CorpusWatcher | null = null;
    // Every ingest, whoever starts it: the watcher learns what it covered, then instant alerts go out.
    const ingestCorpus: IngestCorpus = async (changed, ingestOptions) => {
      const run = () => options.reindex(changed, ingestOptions);
      const result: IngestResult = watcher ? await watcher.track(run) : await run();
      await instant.run().catch((error: unknown) => log.error({ err: error }, 'instant alerts failed'));
      return result;
    };
    if (feeds.corpusWatch)
      watcher = new CorpusWatcher({
        dir: config.corpusDir,
        ingest: ingestCorpus,
        debounceMs: feeds.corpusWatchDebounceMs,
        log: log.child({ module: 'watch' }),
      });
    const feedList = new FeedList(feeds.feedsFile);
    const feedState = await FeedStateStore.open(config.dataDir, {
      corpusDir: config.corpusDir,
      log: log.child({ module: 'feeds' }),
      now,
    });
    const poller = new FeedPoller({
      feeds: feedList,
      state: feedState,
      corpusDir: config.corpusDir,
      ingest: ingestCorpus,
      policy: feedFetchPolicy(feeds),
      maxItemsPerPoll: feeds.feedsMaxItemsPerPoll,
      defaultIntervalMinutes: feeds.feedsIntervalMinutes,
      now,
      log: log.child({ module: 'feeds' }),
    });
    const living = new LivingArchive(options, feedList, feedState, instant, watcher, poller);
    living.started = started;
    return living;
  }

  /**
   * Starts watching the folder and, when FEEDS_POLL is on, polling feeds on their schedules; and, in the
   * background, brings the index in line with the corpus: files written while the bot was down, or before
   * a crash cut a feed poll or an upload short of its ingest, are taken now (the watcher only sees changes
   * from here on). The incremental ingest reads nothing but file stamps when nothing changed.
   */
  async start(): Promise<void> {
    this.started.value = true;
    await this.watcher?.start();
    const log = this.options.log.child({ module: 'ingest' });
    this.reconciled = this.ingestCorpus().then(
      (result) => {
        const { added, updated, removed } = result.summary;
        if (added || updated || removed)
          log.info({ added, updated, removed }, 'index brought in line with the corpus at start');
        return result;
      },
      (error: unknown) => {
        log.error({ err: error }, 'bringing the index in line with the corpus at start failed');
        return null;
      },
    );
    if (this.options.config.feeds.feedsPoll) this.poller.start();
  }

  /**
   * /add's use case: saves an uploaded file or a linked page into the corpus, ingests that one file, and
   * says what the archive made of it (its articles, and the records the reader skipped, with why).
   */
  async add(
    request: { upload: UploadInput } | { link: { url: string; outlet: string | null } },
  ): Promise<{ source: string; articles: ArticleMeta[]; skipped: SkippedSource[] }> {
    const { config, search, now } = this.options;
    const added =
      'upload' in request
        ? await addUpload(config.corpusDir, request.upload, this.uploadFetchPolicy, now())
        : await addLink(
            config.corpusDir,
            { ...request.link, findExisting: (canonical) => existingByUrl(search.articles, canonical) },
            this.pageFetchPolicy,
            now(),
          );
    const { summary } = await this.ingestCorpus([added.source]);
    const fromIt = (source: string) => source === added.source || source.startsWith(`${added.source}#`);
    this.options.log.info({ source: added.source, articles: added.titles.length }, 'article added');
    return {
      source: added.source,
      articles: search.articles.filter((a) => fromIt(a.source)),
      skipped: summary.skipped.filter((s) => fromIt(s.source)),
    };
  }

  async stop(): Promise<void> {
    this.poller.stop();
    await this.watcher?.stop();
  }
}

/** An article already in the archive under this canonical url, named for a person. */
function existingByUrl(articles: readonly ArticleMeta[], canonical: string): string | null {
  const article = articles.find((a) => a.url && canonicalUrl(a.url) === canonical);
  return article ? `“${article.title}” (\`${article.source}\`)` : null;
}
