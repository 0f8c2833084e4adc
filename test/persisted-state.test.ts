import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { SubscriptionStore } from '../src/digest/store.js';
import { AnswerStore } from '../src/discord/answer-store.js';
import { tempDir } from './helpers/temp.js';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { log: pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) }), lines };
}

const NOW = new Date('2026-11-20T09:00:00Z');

const subscription = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  target: { kind: 'channel', guildId: '1', channelId: '2' },
  guildId: '1',
  createdBy: '3',
  createdAt: '2026-11-19T09:00:00.000Z',
  schedule: { text: 'daily 09:00', cron: '0 9 * * *' },
  timeZone: 'UTC',
  topic: null,
  outlet: null,
  maxItems: 10,
  postWhenEmpty: false,
  lastPeriod: null,
  coveredUntil: null,
  lastRun: null,
  consecutiveFailures: 0,
  paused: null,
  ...extra,
});

describe('digests.json on load', () => {
  it('is moved aside when it is not JSON, with an error naming the file and the repair; the bot starts with none', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'digests.json'), '{"subscriptions": [ {"id": "d1", ');
    const { log, lines } = capturingLogger();
    const store = await SubscriptionStore.open(dir, { log, now: () => NOW });
    assert.deepEqual(store.all(), []);
    const files = await readdir(dir);
    assert.deepEqual(files.sort(), ['digests.json.corrupt-2026-11-20T09-00-00-000Z']);
    assert.equal(
      await readFile(path.join(dir, 'digests.json.corrupt-2026-11-20T09-00-00-000Z'), 'utf8'),
      '{"subscriptions": [ {"id": "d1", ',
      'kept as it was, for repair',
    );
    const error = lines.find((l) => l.level === 50);
    assert.equal(error?.file, path.join(dir, 'digests.json'));
    assert.match(String(error?.problem), /JSON/);
    assert.match(String(error?.msg), /rename it back to digests\.json.*\/digest subscribe/);
    await store.add(subscription('d9') as never);
    assert.equal((await SubscriptionStore.open(dir)).all().length, 1, 'and works from there');
  });

  it('keeps the valid subscriptions and leaves out a damaged one, copying the file aside first', async () => {
    const dir = await tempDir();
    const text = JSON.stringify({
      subscriptions: [
        subscription('dgood'),
        subscription('dbad', { schedule: { text: 'x', cron: 'every day' }, maxItems: '10' }),
        subscription('dold'), // written before `everythingAdded` and `delivery` existed
      ],
    });
    await writeFile(path.join(dir, 'digests.json'), text);
    const { log, lines } = capturingLogger();
    const store = await SubscriptionStore.open(dir, { log, now: () => NOW });
    assert.deepEqual(
      store.all().map((s) => [s.id, s.everythingAdded, s.delivery]),
      [
        ['dgood', false, null],
        ['dold', false, null],
      ],
    );
    const error = lines.find((l) => l.level === 50) as { rejected: Array<{ id: string; problem: string }> };
    assert.equal(error.rejected[0]?.id, 'dbad');
    assert.match(error.rejected[0]?.problem ?? '', /schedule\.cron|maxItems/);
    assert.equal(
      await readFile(path.join(dir, 'digests.json.corrupt-2026-11-20T09-00-00-000Z'), 'utf8'),
      text,
    );
  });
});

describe('answers.jsonl on load', () => {
  it('skips and logs lines that are not valid answers, keeping the others', async () => {
    const dir = await tempDir();
    const good = {
      id: 'AbC-12_x',
      question: 'How many orphans?',
      filters: { outlet: null, since: null, until: null },
      perPage: 3,
      userId: '42',
      createdAt: '2026-11-19T09:00:00.000Z',
    };
    await writeFile(
      path.join(dir, 'answers.jsonl'),
      [
        JSON.stringify(good),
        '{"id": "torn", "question": "half a li',
        JSON.stringify({ ...good, id: 'x2', perPage: 'three' }),
        '[1, 2, 3]',
        '',
      ].join('\n'),
    );
    const { log, lines } = capturingLogger();
    const store = await AnswerStore.open(dir, NOW, log);
    assert.equal(store.get('AbC-12_x')?.question, 'How many orphans?');
    assert.equal(store.get('x2'), undefined);
    const warning = lines.find((l) => l.level === 40) as { count: number; skipped: Array<{ line: number }> };
    assert.equal(warning.count, 3);
    assert.deepEqual(
      warning.skipped.map((s) => s.line),
      [2, 3, 4],
    );
  });

  it('names the file when it cannot be read, instead of a bare system error', async () => {
    const dir = await tempDir();
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, 'answers.jsonl')));
    await assert.rejects(AnswerStore.open(dir, NOW), (error: Error) => {
      assert.equal(error.name, 'UserFacingError');
      assert.match(error.message, /answers\.jsonl cannot be read \(EISDIR\)/);
      return true;
    });
  });
});
