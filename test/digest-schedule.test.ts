import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Digest } from '../src/digest/build.js';
import type { PostResult } from '../src/digest/delivery.js';
import { latestRunAtOrBefore, nextRuns, parseSchedule } from '../src/digest/schedule.js';
import { DigestScheduler } from '../src/digest/scheduler.js';
import { SubscriptionStore } from '../src/digest/store.js';
import { type Subscription, subscriptionSchema } from '../src/digest/subscription.js';
import { silentLogger } from '../src/logger.js';
import type { Timers } from '../src/util/timers.js';
import { tempDir } from './helpers/temp.js';

const iso = (d: Date[]) => d.map((x) => x.toISOString());

describe('schedules', () => {
  it('read daily, weekdays, weekly and cron, and explain mistakes', () => {
    assert.deepEqual(parseSchedule('Daily 8:05'), { text: 'daily 08:05', cron: '5 8 * * *' });
    assert.deepEqual(parseSchedule('weekdays 07:30'), { text: 'weekdays 07:30', cron: '30 7 * * 1-5' });
    assert.deepEqual(parseSchedule('weekly Mon 09:00'), { text: 'weekly monday 09:00', cron: '0 9 * * 1' });
    assert.deepEqual(parseSchedule('0 6 1 * *'), { text: '0 6 1 * *', cron: '0 6 1 * *' });
    assert.throws(() => parseSchedule('daily 24:00'), /not a time of day/);
    assert.throws(() => parseSchedule('weekly someday 09:00'), /not a day of the week/);
    assert.throws(() => parseSchedule('61 8 * * *'), /not a valid cron expression/);
    assert.throws(() => parseSchedule('every morning'), /not a schedule I understand\. Try `daily 08:00`/);
  });

  it('fire at the same local time across a DST change (Europe/Berlin, spring forward on 29 March 2026)', () => {
    const runs = nextRuns('0 9 * * *', 'Europe/Berlin', new Date('2026-03-27T12:00:00Z'), 3);
    assert.deepEqual(iso(runs), [
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('run a time the clock skips once, just after the gap, and a repeated time once (New York, fall back)', () => {
    assert.deepEqual(iso(nextRuns('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 2)), [
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 did not exist that night
      '2026-03-30T00:30:00.000Z',
    ]);
    assert.deepEqual(iso(nextRuns('30 1 * * *', 'America/New_York', new Date('2026-10-31T12:00:00Z'), 2)), [
      '2026-11-01T05:30:00.000Z', // the first 01:30 (EDT) only
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('find the latest period at or before a moment', () => {
    assert.equal(
      latestRunAtOrBefore('0 8 * * *', 'UTC', new Date('2026-11-20T08:00:00Z'))?.toISOString(),
      '2026-11-20T08:00:00.000Z',
    );
    assert.equal(
      latestRunAtOrBefore('0 8 * * *', 'UTC', new Date('2026-11-20T07:59:59Z'))?.toISOString(),
      '2026-11-19T08:00:00.000Z',
    );
  });
});

/** A scheduler on a real store, with a clock the test moves and a poster that records. */
async function scheduling(
  subscription: Partial<Subscription>,
  deliver?: (s: Subscription) => PostResult,
  options: {
    dataDir?: string;
    messages?: number;
    post?: (index: number, digest: Digest) => Promise<PostResult> | undefined;
    timers?: Timers;
  } = {},
) {
  let clock = new Date('2026-03-27T10:00:00Z');
  const dataDir = options.dataDir ?? (await tempDir());
  const store = await SubscriptionStore.open(dataDir);
  const posted: Array<{ id: string; at: string; since: string; index: number; until: string }> = [];
  const paused: string[] = [];
  const builder = {
    build: async (_: unknown, window: { since: Date; until: Date }): Promise<Digest> => ({
      since: window.since.toISOString(),
      until: window.until.toISOString(),
      topic: null,
      outlet: null,
      entries: [
        {
          articleId: 'a',
          title: 't',
          outlet: null,
          date: null,
          url: null,
          sentence: 's',
          start: 0,
          end: 1,
          alsoIn: [],
        },
      ],
      more: 0,
    }),
  };
  const scheduler = new DigestScheduler({
    store,
    builder,
    poster: {
      messageCount: () => options.messages ?? 1,
      post: async (s, digest, index) => {
        const custom = options.post?.(index, digest);
        if (custom) return custom;
        posted.push({ id: s.id, at: clock.toISOString(), since: digest.since, until: digest.until, index });
        return deliver ? deliver(s) : { ok: true };
      },
    },
    notifyPaused: async (s) => {
      paused.push(s.id);
    },
    now: () => clock,
    log: silentLogger(),
    maxFailures: 3,
    lookbackHours: 24,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  if (!options.dataDir)
    await store.add(
      subscriptionSchema.parse({
        id: 'd1',
        target: { kind: 'channel', guildId: 'g', channelId: 'c' },
        guildId: 'g',
        createdBy: 'u',
        createdAt: clock.toISOString(),
        schedule: parseSchedule('daily 09:00'),
        timeZone: 'Europe/Berlin',
        topic: null,
        outlet: null,
        maxItems: 10,
        postWhenEmpty: false,
        lastPeriod: null,
        coveredUntil: null,
        lastRun: null,
        consecutiveFailures: 0,
        paused: null,
        ...subscription,
      }),
    );
  return {
    store,
    scheduler,
    posted,
    paused,
    dataDir,
    set: (at: string) => {
      clock = new Date(at);
    },
  };
}

describe('the digest scheduler', () => {
  it('runs at 09:00 local before and after the DST change, once per period', async () => {
    const { scheduler, posted, set } = await scheduling({});
    set('2026-03-28T07:59:00Z'); // 08:59 CET
    assert.deepEqual(await scheduler.runDue(), []);
    set('2026-03-28T08:00:30Z'); // 09:00 CET
    assert.equal((await scheduler.runDue())[0]?.period, '2026-03-28T08:00:00.000Z');
    assert.deepEqual(await scheduler.runDue(), [], 'the same period does not run twice');
    set('2026-03-29T06:59:00Z'); // 08:59 CEST
    assert.deepEqual(await scheduler.runDue(), []);
    set('2026-03-29T07:00:10Z'); // 09:00 CEST
    assert.equal((await scheduler.runDue())[0]?.period, '2026-03-29T07:00:00.000Z');
    assert.deepEqual(
      posted.map((p) => p.at),
      ['2026-03-28T08:00:30.000Z', '2026-03-29T07:00:10.000Z'],
    );
  });

  it('catches up a period missed while down once, not once per missed period', async () => {
    const { scheduler, posted, set, store } = await scheduling({});
    set('2026-03-28T08:00:00Z');
    await scheduler.runDue();
    set('2026-04-02T12:00:00Z'); // five days down
    const outcomes = await scheduler.runDue();
    assert.deepEqual(
      outcomes.map((o) => o.period),
      ['2026-04-02T07:00:00.000Z'],
    );
    assert.equal(posted.length, 2);
    assert.equal(
      posted[1]?.since,
      '2026-03-28T08:00:00.000Z',
      'the catch-up digest covers everything since the last one',
    );
    assert.equal(store.get('d1')?.lastPeriod, '2026-04-02T07:00:00.000Z');
  });

  it('never posts a period twice, even with two triggers at once or after a restart', async () => {
    const { scheduler, posted, set, store } = await scheduling({});
    set('2026-03-28T08:00:05Z');
    const [a, b] = await Promise.all([scheduler.runDue(), scheduler.runDue()]);
    assert.equal((a?.length ?? 0) + (b?.length ?? 0), 1);
    // A restart: a new store and scheduler read the same file.
    const reopened = await SubscriptionStore.open(path.dirname(store.file));
    assert.equal(reopened.get('d1')?.lastPeriod, '2026-03-28T08:00:00.000Z');
    assert.equal(posted.length, 1);
  });

  it('does not run a period that began before the subscription existed', async () => {
    const { scheduler, set } = await scheduling({ createdAt: '2026-03-28T08:30:00Z' });
    set('2026-03-28T08:45:00Z');
    assert.deepEqual(await scheduler.runDue(), []);
  });

  it('records failures, pauses after three in a row and tells the creator once', async () => {
    const { scheduler, set, store, paused } = await scheduling({}, () => ({
      ok: false,
      reason: 'the channel no longer exists',
    }));
    for (const day of ['28', '29', '30', '31']) {
      set(`2026-03-${day}T08:00:00Z`);
      await scheduler.runDue();
    }
    const s = store.get('d1');
    assert.equal(s?.consecutiveFailures, 3);
    assert.deepEqual(s?.paused?.reason, 'the channel no longer exists');
    assert.equal(s?.lastRun?.status, 'failed');
    assert.deepEqual(paused, ['d1']);
    assert.equal(
      s?.coveredUntil,
      null,
      'a failed run covers nothing: the next digest still includes those articles',
    );
  });
});

describe('posting a digest of several messages', () => {
  it('goes on from the message that failed on the next run, never posting a message twice', async () => {
    let failSecond = true;
    const { scheduler, posted, set, store } = await scheduling({}, undefined, {
      messages: 3,
      post: (index) =>
        index === 1 && failSecond ? Promise.resolve({ ok: false, reason: 'Discord is down' }) : undefined,
    });
    set('2026-03-28T08:00:05Z');
    const [first] = await scheduler.runDue();
    assert.equal(first?.status, 'failed');
    assert.deepEqual(
      posted.map((p) => p.index),
      [0],
    );
    assert.deepEqual(
      { sent: store.get('d1')?.delivery?.sent, posting: store.get('d1')?.delivery?.posting },
      { sent: 1, posting: null },
      'what was delivered is recorded per message',
    );
    assert.equal(store.get('d1')?.coveredUntil, null, 'not covered until every message is out');

    failSecond = false;
    set('2026-03-29T07:00:05Z');
    const [second] = await scheduler.runDue();
    assert.equal(second?.status, 'posted');
    assert.deepEqual(
      posted.map((p) => `${p.until}#${p.index}`),
      [
        '2026-03-28T08:00:05.000Z#0',
        '2026-03-28T08:00:05.000Z#1',
        '2026-03-28T08:00:05.000Z#2',
        // Then the new digest since the finished one: it starts where that one ended.
        '2026-03-29T07:00:05.000Z#0',
        '2026-03-29T07:00:05.000Z#1',
        '2026-03-29T07:00:05.000Z#2',
      ],
    );
    assert.equal(posted[3]?.since, '2026-03-28T08:00:05.000Z');
    assert.equal(store.get('d1')?.delivery, null);
  });

  it('after a stop in the middle of a post, finishes the digest at start without repeating a message', async () => {
    let postingSecond = () => {};
    const stuck = new Promise<void>((resolve) => {
      postingSecond = resolve;
    });
    const first = await scheduling({}, undefined, {
      messages: 4,
      // Message 2 never returns: the bot is stopped while posting it.
      post: (index) => {
        if (index !== 1) return undefined;
        postingSecond();
        return new Promise<PostResult>(() => {});
      },
    });
    first.set('2026-03-28T08:00:05Z');
    void first.scheduler.runDue();
    await stuck;
    assert.equal(first.store.get('d1')?.delivery?.posting, 1, 'recorded as being posted before it is sent');

    // The restart: a new store and scheduler on the same file.
    const second = await scheduling({}, undefined, { dataDir: first.dataDir, messages: 4 });
    second.set('2026-03-28T08:05:00Z');
    const outcomes = await second.scheduler.runDue();
    assert.deepEqual(
      outcomes.map((o) => [o.period, o.status]),
      [['2026-03-28T08:00:00.000Z', 'posted']],
    );
    assert.deepEqual(
      [...first.posted, ...second.posted].map((p) => p.index),
      [0, 2, 3],
      'message 2 may be lost, none is doubled',
    );
    assert.equal(second.store.get('d1')?.coveredUntil, '2026-03-28T08:00:05.000Z');
    assert.deepEqual(await second.scheduler.runDue(), [], 'and the catch-up does not post it again');
  });
});

describe('the scheduler timer', () => {
  it('re-arms when a subscription is added, so its first run is on time', async () => {
    const timers: Array<{ run: () => void; at: number; cleared: boolean }> = [];
    let now = Date.parse('2026-03-27T10:00:30Z');
    const fake: Timers = {
      set: (run, ms) => {
        const t = { run, at: now + ms, cleared: false };
        timers.push(t);
        return t;
      },
      clear: (t) => {
        (t as { cleared: boolean }).cleared = true;
      },
    };
    const { scheduler, store, posted, set } = await scheduling({}, undefined, { timers: fake });
    await store.remove('d1');
    set(new Date(now).toISOString());
    scheduler.start();
    await scheduler.idle();
    const idle = timers.find((t) => !t.cleared);
    assert.equal(idle?.at, now + 60_000, 'no subscription: it checks again in a minute');

    await store.add(
      subscriptionSchema.parse({
        ...baseSubscription,
        id: 'd2',
        createdAt: new Date(now).toISOString(),
        schedule: parseSchedule('daily 10:01'),
        timeZone: 'UTC',
      }),
    );
    const armed = timers.filter((t) => !t.cleared);
    assert.equal(armed.length, 1);
    assert.equal(armed[0]?.at, Date.parse('2026-03-27T10:01:00.050Z'), 'woken at the first run time');
    now = armed[0]?.at as number;
    set(new Date(now).toISOString());
    armed[0]?.run();
    await scheduler.idle();
    assert.equal(posted.length, 1, 'the timer ran the due digest');
    assert.equal(posted[0]?.id, 'd2');
    assert.equal(posted[0]?.at, '2026-03-27T10:01:00.050Z');
    scheduler.stop();
  });
});

const baseSubscription = {
  target: { kind: 'channel', guildId: 'g', channelId: 'c' },
  guildId: 'g',
  createdBy: 'u',
  topic: null,
  outlet: null,
  maxItems: 10,
  postWhenEmpty: false,
  lastPeriod: null,
  coveredUntil: null,
  lastRun: null,
  consecutiveFailures: 0,
  paused: null,
};
