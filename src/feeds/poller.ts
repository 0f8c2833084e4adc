import { type FrontMatter, renderArticleMarkdown, slugify, writeCorpusFile } from '../intake/article-file.js';
import { canonicalUrl } from '../intake/canonical-url.js';
import { decodeBody } from '../intake/decode-body.js';
import type { IngestCorpus } from '../intake/ingest-seam.js';
import { FetchError, type FetchPolicy, safeFetch } from '../intake/safe-fetch.js';
import type { Logger } from '../logger.js';
import { parseFeedOffThread } from '../parsing/off-thread.js';
import type { IngestSummary } from '../store/manifest.js';
import type { FeedList, FeedSource } from './feed-list.js';
import type { FeedRecord, FeedState, FeedStateStore, PendingItem } from './feed-state.js';
import { emptyFeedRecord } from './feed-state.js';
import type { FeedItem } from './parse-feed.js';
import { resolveItem } from './resolve-item.js';
import { FEEDS_FOLDER } from './seen-in-corpus.js';

export { FEEDS_FOLDER };

import { describeError } from '../errors.js';
import {
  MAX_ITEM_ATTEMPTS,
  nextItemAttempt,
  nextPollAfterFailure,
  nextPollAfterSuccess,
} from './schedule.js';

export interface FeedPollerDeps {
  feeds: FeedList;
  state: FeedStateStore;
  corpusDir: string;
  ingest: IngestCorpus;
  policy: FetchPolicy;
  maxItemsPerPoll: number;
  defaultIntervalMinutes: number;
  now: () => Date;
  /** Injected for the jitter (tests pass a constant). */
  random?: () => number;
  /** Time one feed may spend on its items in a poll (default FEED_BUDGET_MS); the rest wait for the next. */
  feedBudgetMs?: number;
  /** Time a whole poll may spend on items (default POLL_BUDGET_MS). */
  pollBudgetMs?: number;
  log: Logger;
}

export interface FeedPollResult {
  url: string;
  outlet: string;
  status: 'new' | 'unchanged' | 'not-modified' | 'failed';
  /** Articles written into the corpus. */
  written: number;
  /** Items that failed and wait for a retry. */
  failedItems: number;
  error?: string;
}

export interface PollReport {
  feeds: FeedPollResult[];
  /** Corpus-relative paths of the articles written. */
  written: string[];
  itemFailures: Array<{ feed: string; item: string; error: string }>;
  /** Items retried from earlier failures. */
  retried: number;
  /** What the poll's ingests did, together (one per feed that wrote articles, one for retried items). */
  ingest: IngestSummary | null;
  ingestError: string | null;
  /** Items left for the next poll because a feed or the poll used up its time. */
  deferred: number;
  /** The feeds file could not be read. */
  listError: string | null;
}

/** Feeds fetched at once; item pages of one feed are fetched one after another. */
const CONCURRENCY = 4;
/**
 * A feed's items stop being taken after this long in one poll (an item page that hangs costs the fetch
 * timeout each time), and a poll's after POLL_BUDGET_MS: the rest are taken at the next poll. With four
 * feeds at a time, a slow feed holds one of them for at most its budget and never delays the others'
 * articles, which are ingested as soon as their own feed is done.
 */
export const FEED_BUDGET_MS = 2 * 60_000;
export const POLL_BUDGET_MS = 10 * 60_000;
const ACCEPT_FEED =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/**
 * Polls feeds: conditional GET (ETag / Last-Modified), new items deduplicated by guid and canonical url
 * across every feed, each written into the corpus as a Markdown article and ingested with the rest of its
 * feed's as soon as that feed is done (what a crash leaves written is taken by the next start's ingest). A
 * feed that fails (network, HTTP error, malformed XML, not a feed, too large, too slow) is logged with
 * its url, backed off exponentially and never stops the others; an item that fails (page unreachable,
 * no text) is logged with its feed and link and retried later on its own schedule.
 */
export class FeedPoller {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private running: Promise<PollReport> | null = null;
  private readonly random: () => number;

  constructor(private readonly deps: FeedPollerDeps) {
    this.random = deps.random ?? Math.random;
  }

  get defaultIntervalMinutes(): number {
    return this.deps.defaultIntervalMinutes;
  }

  /** The ingest this poller runs after writing articles (the seam it was given). */
  get ingestSeam(): IngestCorpus {
    return this.deps.ingest;
  }

  /** Polls the feeds that are due and retries the items whose retry time has come. */
  pollDue(): Promise<PollReport> {
    return this.exclusive(async () => {
      const now = this.deps.now().getTime();
      const { feeds, listError } = await this.loadFeeds();
      const due = feeds.filter((f) => {
        const next = this.deps.state.feed(f.url).nextPollAt;
        return !next || Date.parse(next) <= now;
      });
      return this.run(due, (p) => Date.parse(p.nextAttemptAt) <= now, listError);
    });
  }

  /** Polls every feed once, whatever its schedule, and retries every waiting item (`npm run feeds`). */
  pollAll(): Promise<PollReport> {
    return this.exclusive(async () => {
      const { feeds, listError } = await this.loadFeeds();
      return this.run(feeds, () => true, listError);
    });
  }

  /** Polls one feed now (after `/feeds add`). */
  pollOne(url: string): Promise<PollReport> {
    return this.exclusive(async () => {
      const { feeds, listError } = await this.loadFeeds();
      return this.run(
        feeds.filter((f) => f.url === url),
        () => false,
        listError,
      );
    });
  }

  /** Polls on its own until stop(): wakes when the next feed or item is due (at least once a minute). */
  start(): void {
    this.stopped = false;
    void this.wake();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The time the next feed or item is due, or null when there is nothing to poll. */
  async nextDue(): Promise<Date | null> {
    const { feeds } = await this.loadFeeds();
    const times = [
      ...feeds.map((f) => this.deps.state.feed(f.url).nextPollAt),
      ...Object.values(this.deps.state.current.pending).map((p) => p.nextAttemptAt),
    ].map((t) => (t ? Date.parse(t) : 0));
    return times.length ? new Date(Math.min(...times)) : null;
  }

  private async wake(): Promise<void> {
    if (this.stopped) return;
    try {
      const report = await this.pollDue();
      if (
        report.written.length ||
        report.itemFailures.length ||
        report.feeds.some((f) => f.status === 'failed')
      )
        this.deps.log.info(summaryFields(report), 'feeds polled');
    } catch (error) {
      this.deps.log.error({ err: error }, 'feed polling failed; trying again shortly');
    }
    if (this.stopped) return;
    const next = await this.nextDue().catch(() => null);
    const delay = next ? next.getTime() - this.deps.now().getTime() : 60_000;
    this.timer = setTimeout(() => void this.wake(), Math.min(60_000, Math.max(1_000, delay)));
    this.timer.unref();
  }

  /** One poll at a time; a request while one runs waits for it and then runs. */
  private exclusive(job: () => Promise<PollReport>): Promise<PollReport> {
    const previous = this.running ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(job);
    this.running = next;
    void next
      .finally(() => {
        if (this.running === next) this.running = null;
      })
      .catch(() => {});
    return next;
  }

  private async loadFeeds(): Promise<{ feeds: FeedSource[]; listError: string | null }> {
    try {
      return { feeds: await this.deps.feeds.load(), listError: null };
    } catch (error) {
      this.deps.log.error({ err: error, file: this.deps.feeds.file }, 'the feeds file cannot be used');
      return { feeds: [], listError: describeError(error) };
    }
  }

  private async run(
    feeds: FeedSource[],
    retryPending: (p: PendingItem) => boolean,
    listError: string | null,
  ): Promise<PollReport> {
    const report: PollReport = {
      feeds: [],
      written: [],
      itemFailures: [],
      retried: 0,
      ingest: null,
      ingestError: null,
      deferred: 0,
      listError,
    };
    const claimed = new Set<string>();
    const started = this.deps.now().getTime();
    const queue = [...feeds];
    const worker = async () => {
      for (let feed = queue.shift(); feed; feed = queue.shift())
        report.feeds.push(await this.pollFeed(feed, claimed, report, started));
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, feeds.length) }, worker));
    report.feeds.sort(
      (a, b) => feeds.findIndex((f) => f.url === a.url) - feeds.findIndex((f) => f.url === b.url),
    );

    const known = new Set((listError ? [] : await this.deps.feeds.load().catch(() => [])).map((f) => f.url));
    const retried: string[] = [];
    const retriesStarted = this.deps.now().getTime();
    for (const [key, pending] of Object.entries(this.deps.state.current.pending)) {
      if (!listError && !known.has(pending.feedUrl)) {
        await this.deps.state.update((s) => void delete s.pending[key]);
        continue;
      }
      if (!retryPending(pending) || pending.keys.some((k) => claimed.has(k))) continue;
      if (this.overBudget(started, retriesStarted)) {
        report.deferred++;
        continue;
      }
      report.retried++;
      const feed = { url: pending.feedUrl, outlet: pending.outlet, tags: pending.tags };
      const source = await this.takeItem(feed, pending.item, pending.keys, report, pending);
      if (source) retried.push(source); // ALREADY_IN ('') wrote nothing
    }
    await this.ingestWritten(retried, report);
    return report;
  }

  /** Ingests the articles just written (a feed's, or the retried ones), adding to the poll's report. */
  private async ingestWritten(sources: string[], report: PollReport): Promise<void> {
    if (sources.length === 0) return;
    try {
      const { summary } = await this.deps.ingest(sources);
      report.ingest = report.ingest ? combineSummaries(report.ingest, summary) : summary;
    } catch (error) {
      report.ingestError = describeError(error);
      this.deps.log.error({ err: error }, 'ingest after polling feeds failed');
    }
  }

  /** True once a feed (started at `feedStarted`) or the whole poll has used up its time. */
  private overBudget(pollStarted: number, feedStarted: number): boolean {
    const now = this.deps.now().getTime();
    return (
      now - feedStarted >= (this.deps.feedBudgetMs ?? FEED_BUDGET_MS) ||
      now - pollStarted >= (this.deps.pollBudgetMs ?? POLL_BUDGET_MS)
    );
  }

  private async pollFeed(
    feed: FeedSource,
    claimed: Set<string>,
    report: PollReport,
    pollStarted: number,
  ): Promise<FeedPollResult> {
    const { state, log } = this.deps;
    const record = state.feed(feed.url);
    const result: FeedPollResult = {
      url: feed.url,
      outlet: feed.outlet,
      status: 'unchanged',
      written: 0,
      failedItems: 0,
    };
    const interval = feed.intervalMinutes ?? this.deps.defaultIntervalMinutes;
    try {
      const response = await safeFetch(feed.url, this.deps.policy, {
        accept: ACCEPT_FEED,
        etag: record.etag,
        lastModified: record.lastModified,
      });
      if (response.status === 304) {
        result.status = 'not-modified';
        await this.saveFeed(feed.url, (r) => this.succeeded(r, interval, 0));
        return result;
      }
      const type = String(response.headers['content-type'] ?? '');
      const parsed = await parseFeedOffThread(decodeBody(response.body, type), type);
      const fresh = parsed.items
        .map((item) => ({ item, keys: itemKeys(item) }))
        .filter(
          ({ keys }) =>
            keys.length > 0 && !keys.some((k) => state.hasSeen(k) || claimed.has(k) || this.isPending(k)),
        )
        .sort((a, b) => (b.item.published ?? '').localeCompare(a.item.published ?? ''));
      // Keys shared by two items of one feed (a guid reused) count once.
      const unique = fresh.filter(({ keys }) => {
        if (keys.some((k) => claimed.has(k))) return false;
        for (const k of keys) claimed.add(k);
        return true;
      });
      const taken = unique.slice(0, this.deps.maxItemsPerPoll);
      for (const { keys } of unique.slice(taken.length)) for (const k of keys) claimed.delete(k);
      let capped = taken.length < unique.length;
      if (capped)
        log.info(
          { feed: feed.url, items: unique.length, cap: this.deps.maxItemsPerPoll },
          'more new items than the cap: the rest next poll',
        );
      const feedStarted = this.deps.now().getTime();
      const written: string[] = [];
      for (const [i, { item, keys }] of taken.entries()) {
        if (this.overBudget(pollStarted, feedStarted)) {
          // Left for the next poll, untried: not a failure of theirs.
          const left = taken.slice(i);
          for (const rest of left) for (const k of rest.keys) claimed.delete(k);
          report.deferred += left.length;
          capped = true;
          log.warn(
            { feed: feed.url, items: left.length },
            'feed used up its time for this poll: the rest next poll',
          );
          break;
        }
        const source = await this.takeItem(feed, item, keys, report, null);
        if (source === null) result.failedItems++;
        else {
          result.written++;
          if (source !== ALREADY_IN) written.push(source);
        }
      }
      // This feed's articles go into the index now, whatever the other feeds are still doing.
      await this.ingestWritten(written, report);
      result.status = result.written > 0 ? 'new' : 'unchanged';
      await this.saveFeed(feed.url, (r) => {
        this.succeeded(r, interval, result.written);
        // Validators are kept only when every new item was taken: else a 304 would hide the rest.
        r.etag = capped ? null : headerValue(response.headers.etag);
        r.lastModified = capped ? null : headerValue(response.headers['last-modified']);
      });
    } catch (error) {
      const message = describeError(error, MAX_ERROR_CHARS);
      result.status = 'failed';
      result.error = message;
      log.warn({ feed: feed.url, outlet: feed.outlet, error: message }, 'feed poll failed');
      const retryAfter = error instanceof FetchError ? error.retryAfterSeconds : undefined;
      await this.saveFeed(feed.url, (r) => {
        const now = this.deps.now();
        r.lastPollAt = now.toISOString();
        r.failures += 1;
        r.lastError = { at: now.toISOString(), message };
        r.nextPollAt = nextPollAfterFailure(now, r.failures, this.random, retryAfter).toISOString();
      });
    }
    return result;
  }

  /**
   * Turns one item into a corpus file; on failure it waits in `pending` for a retry. Returns the file
   * written, ALREADY_IN when another feed brought the article in already, or null on failure.
   */
  private async takeItem(
    feed: FeedSource,
    item: FeedItem,
    keys: string[],
    report: PollReport,
    pending: PendingItem | null,
  ): Promise<string | null> {
    const { state, log } = this.deps;
    const pendingKey = keys[0] as string;
    const label = item.url ?? item.guid ?? item.title ?? '(item)';
    const attempts = (pending?.attempts ?? 0) + 1;
    try {
      const article = await resolveItem(item, feed, this.deps.policy, {
        lastAttempt: attempts >= MAX_ITEM_ATTEMPTS,
      });
      const canonical = article.meta.url ? canonicalUrl(article.meta.url) : null;
      const allKeys = canonical ? [...new Set([...keys, `url:${canonical}`])] : keys;
      if (canonical && !keys.includes(`url:${canonical}`) && state.hasSeen(`url:${canonical}`)) {
        // Another feed already brought this article in under another link.
        await state.update((s) => {
          for (const k of allKeys) s.seen[k] ??= { at: this.deps.now().toISOString(), source: null };
          delete s.pending[pendingKey];
        });
        return ALREADY_IN;
      }
      const source = await writeArticle(
        this.deps.corpusDir,
        article.meta,
        article.body,
        pendingKey,
        this.deps.now(),
      );
      await state.update((s) => {
        for (const k of allKeys) s.seen[k] = { at: this.deps.now().toISOString(), source };
        delete s.pending[pendingKey];
      });
      report.written.push(source);
      log.info(
        { feed: feed.url, item: label, source, from: article.from, pageProblem: article.pageProblem },
        'feed article written',
      );
      return source;
    } catch (error) {
      const message = describeError(error, MAX_ERROR_CHARS);
      const now = this.deps.now();
      const givingUp = attempts >= MAX_ITEM_ATTEMPTS;
      report.itemFailures.push({ feed: feed.url, item: label, error: message });
      log.warn({ feed: feed.url, item: label, attempts, error: message, givingUp }, 'feed item failed');
      await state.update((s) => {
        if (givingUp) {
          delete s.pending[pendingKey];
          for (const k of keys) s.seen[k] = { at: now.toISOString(), source: null };
        } else {
          s.pending[pendingKey] = {
            feedUrl: feed.url,
            outlet: feed.outlet,
            tags: feed.tags ?? [],
            item,
            keys,
            attempts,
            nextAttemptAt: nextItemAttempt(now, attempts, this.random).toISOString(),
            lastError: message,
          };
        }
        const record = s.feeds[feed.url] ?? emptyFeedRecord();
        s.feeds[feed.url] = record;
        record.lastError = {
          at: now.toISOString(),
          message: givingUp ? `${message} (gave up after ${attempts} attempts)` : message,
          item: label,
        };
      });
      return null;
    }
  }

  private isPending(key: string): boolean {
    return Object.values(this.deps.state.current.pending).some((p) => p.keys.includes(key));
  }

  private succeeded(r: FeedRecord, intervalMinutes: number, written: number): void {
    const now = this.deps.now();
    r.lastPollAt = now.toISOString();
    r.lastSuccessAt = now.toISOString();
    r.failures = 0;
    r.lastNewItems = written;
    r.nextPollAt = nextPollAfterSuccess(now, intervalMinutes, this.random).toISOString();
    // An item error recorded during this poll stays visible until the next clean poll.
    if (r.lastError && !r.lastError.item) r.lastError = null;
  }

  private saveFeed(url: string, edit: (record: FeedRecord) => void): Promise<void> {
    return this.deps.state.update((s: FeedState) => {
      const record = s.feeds[url] ?? emptyFeedRecord();
      edit(record);
      s.feeds[url] = record;
    });
  }
}

/** What `takeItem` returns for an item another feed had already brought in (nothing written). */
const ALREADY_IN = '';

/** One poll's ingests as one summary: what each did, added up; the archive's totals after the last. */
export function combineSummaries(a: IngestSummary, b: IngestSummary): IngestSummary {
  return {
    ...b,
    added: a.added + b.added,
    updated: a.updated + b.updated,
    removed: a.removed + b.removed,
    unchanged: Math.max(0, b.articles - a.added - b.added - a.updated - b.updated),
    skipped: [...a.skipped, ...b.skipped],
    notes: [...(a.notes ?? []), ...(b.notes ?? [])],
    undated: [...(a.undated ?? []), ...(b.undated ?? [])],
    embeddedPassages: a.embeddedPassages + b.embeddedPassages,
    embeddedTokens: a.embeddedTokens + b.embeddedTokens,
    parsedFiles: (a.parsedFiles ?? 0) + (b.parsedFiles ?? 0),
    seconds: Math.round((a.seconds + b.seconds) * 100) / 100,
  };
}

/** Dedupe keys of an item: its guid and its canonical url (either one seen before means seen). */
export function itemKeys(item: FeedItem): string[] {
  const keys: string[] = [];
  if (item.guid) keys.push(`guid:${item.guid.trim()}`);
  const url = item.url ? canonicalUrl(item.url) : null;
  if (url) keys.push(`url:${url}`);
  return keys;
}

/** `feeds/<outlet>/<date>-<title>.md`, atomically; the date is the item's, else the day it was taken. */
export async function writeArticle(
  corpusDir: string,
  meta: FrontMatter,
  body: string,
  key: string,
  now: Date,
  folder = `${FEEDS_FOLDER}/${slugify(meta.outlet ?? 'unknown', 40) || 'unknown'}`,
): Promise<string> {
  const day = meta.date ?? now.toISOString().slice(0, 10);
  const name = `${day}-${slugify(meta.title) || 'article'}`;
  return writeCorpusFile(corpusDir, folder, name, '.md', renderArticleMarkdown(meta, body), key);
}

function headerValue(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v.slice(0, 500) : null;
}

/** How much of an error's message a feed's state keeps. */
const MAX_ERROR_CHARS = 300;

export function summaryFields(report: PollReport) {
  return {
    feeds: report.feeds.length,
    failedFeeds: report.feeds.filter((f) => f.status === 'failed').length,
    written: report.written.length,
    itemFailures: report.itemFailures.length,
    retried: report.retried,
    deferred: report.deferred,
    added: report.ingest?.added,
  };
}
