import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Digest, DigestBuilder } from '../src/digest/build.js';
import { latestRunAtOrBefore, nextRuns, parseSchedule } from '../src/digest/schedule.js';
import { type DeliveryResult, DigestScheduler } from '../src/digest/scheduler.js';
import { SubscriptionStore } from '../src/digest/store.js';
import type { Subscription } from '../src/digest/subscription.js';
import { silentLogger } from '../src/logger.js';
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

/** A scheduler on a real store, with a clock the test moves and a delivery that records. */
async function scheduling(
  subscription: Partial<Subscription>,
  deliver?: (s: Subscription) => DeliveryResult,
) {
  let clock = new Date('2026-03-27T10:00:00Z');
  const store = await SubscriptionStore.open(await tempDir());
  const posted: Array<{ id: string; at: string; since: string }> = [];
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
  } as unknown as DigestBuilder;
  const scheduler = new DigestScheduler({
    store,
    builder,
    deliver: async (s, digest) => {
      posted.push({ id: s.id, at: clock.toISOString(), since: digest.since });
      return deliver ? deliver(s) : { ok: true, messages: 1 };
    },
    notifyPaused: async (s) => {
      paused.push(s.id);
    },
    now: () => clock,
    log: silentLogger(),
    maxFailures: 3,
    lookbackHours: 24,
  });
  await store.add({
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
  });
  return { store, scheduler, posted, paused, set: (at: string) => (clock = new Date(at)) };
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
