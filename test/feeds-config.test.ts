import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { loadFeedsConfig } from '../src/config.js';
import { parseSchedule } from '../src/digest/schedule.js';
import { ConfigError } from '../src/errors.js';
import { FeedList } from '../src/feeds/feed-list.js';
import { FeedStateStore } from '../src/feeds/feed-state.js';
import { nextPollAfterFailure, nextPollAfterSuccess } from '../src/feeds/schedule.js';
import { tempDir } from './helpers/temp.js';

describe('feed settings and files', () => {
  it('has safe defaults and names each malformed variable', () => {
    const config = loadFeedsConfig({}, '/srv/clipdesk');
    assert.equal(config.feedsFile, '/srv/clipdesk/feeds.json');
    assert.equal(config.feedsAllowPrivate, false);
    assert.equal(config.feedsMaxResponseBytes, 10 * 1024 * 1024);
    assert.equal(config.feedsTimeoutMs, 20_000);
    assert.throws(
      () => loadFeedsConfig({ FEEDS_ALLOW_PRIVATE: 'maybe', FEEDS_MAX_ITEMS_PER_POLL: '0' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.some((p) => p.startsWith('FEEDS_ALLOW_PRIVATE:')) &&
        e.problems.some((p) => p.startsWith('FEEDS_MAX_ITEMS_PER_POLL:')),
    );
  });

  it('reads, adds to and removes from the feeds file, and names what is wrong in a bad one', async () => {
    const dir = await tempDir();
    const list = new FeedList(path.join(dir, 'feeds.json'));
    assert.deepEqual(await list.load(), []);
    assert.equal(await list.add({ url: 'https://a.test/rss', outlet: 'A' }), true);
    assert.equal(await list.add({ url: 'https://a.test/rss', outlet: 'A2', intervalMinutes: 5 }), false);
    assert.deepEqual(JSON.parse(await readFile(list.file, 'utf8')), {
      feeds: [{ url: 'https://a.test/rss', outlet: 'A2', intervalMinutes: 5 }],
    });
    assert.equal((await list.remove('https://a.test/rss'))?.outlet, 'A2');
    assert.equal(await list.remove('https://a.test/rss'), null);
    await writeFile(list.file, JSON.stringify({ feeds: [{ url: 'ftp://a.test/x', outlet: 'A' }] }));
    await assert.rejects(list.load(), /feeds\.json is malformed at feeds\.0\.url: must be an http\(s\) url/);
    await writeFile(list.file, '{');
    await assert.rejects(list.load(), /feeds\.json is not valid JSON/);
  });

  it('moves a malformed state file aside, names it in the log, and starts empty', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'feeds-state.json');
    await writeFile(file, JSON.stringify({ version: 1, feeds: { x: { etag: 3 } }, seen: {}, pending: {} }));
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const state = await FeedStateStore.open(dir, { log, now: () => new Date('2026-11-20T09:00:00Z') });
    assert.deepEqual(state.current.feeds, {});
    assert.deepEqual(await readdir(dir), ['feeds-state.json.corrupt-2026-11-20T09-00-00-000Z']);
    const error = lines.find((l) => l.level === 50);
    assert.equal(error?.file, file);
    assert.match(String(error?.problem), /feeds\.x\.etag/);
    assert.match(String(error?.msg), /feeds-state\.json is damaged: moved it aside/);
  });

  it('spreads polls by at most 10% and backs off exponentially, never sooner than Retry-After', () => {
    const now = new Date('2026-11-20T09:00:00Z');
    assert.equal(nextPollAfterSuccess(now, 10, () => 0).getTime() - now.getTime(), 9 * 60_000);
    assert.equal(nextPollAfterSuccess(now, 10, () => 1).getTime() - now.getTime(), 11 * 60_000);
    const wait = (failures: number, retryAfter?: number) =>
      nextPollAfterFailure(now, failures, () => 0.5, retryAfter).getTime() - now.getTime();
    assert.deepEqual(
      [1, 2, 3, 4].map((f) => wait(f)),
      [60_000, 120_000, 240_000, 480_000],
    );
    assert.equal(wait(20), 6 * 3_600_000);
    assert.equal(wait(1, 600), 600_000);
  });

  it('accepts "instant" as a digest schedule', () => {
    assert.deepEqual(parseSchedule(' Instant '), { text: 'instant', cron: 'instant' });
  });
});
