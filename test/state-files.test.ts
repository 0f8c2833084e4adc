import assert from 'node:assert/strict';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { InstantStore } from '../src/digest/instant-store.js';
import { SubscriptionStore } from '../src/digest/store.js';
import { AnswerStore } from '../src/discord/answer-store.js';
import { FeedbackStore } from '../src/discord/feedback-store.js';
import { FeedStateStore } from '../src/feeds/feed-state.js';
import { tempDir } from './helpers/temp.js';

const NOW = new Date('2026-11-20T09:00:00Z');
const mode = async (file: string) => (await stat(file)).mode & 0o777;

let umask: number;
before(() => {
  // The usual umask: files 0644 and folders 0755 unless created otherwise.
  umask = process.umask(0o022);
});
after(() => process.umask(umask));

describe('state files are private to the bot', () => {
  it('creates DATA_DIR 0700 and every state file 0600', async () => {
    const dataDir = path.join(await tempDir(), 'data', 'clipdesk');
    const answers = await AnswerStore.open(dataDir, NOW);
    await answers.create({
      question: 'q',
      filters: {},
      perPage: 3,
      userId: '1',
      createdAt: NOW.toISOString(),
    });
    await new FeedbackStore(dataDir).record({
      at: NOW.toISOString(),
      answerId: 'a',
      question: 'q',
      page: 0,
      resultIds: [],
      vote: 'up',
      userId: '1',
      guildId: null,
    });
    const digests = await SubscriptionStore.open(dataDir);
    await digests.remove('none'); // any change writes the file
    await (await InstantStore.open(dataDir)).set('d1', { until: NOW.toISOString(), handled: [] });
    await (await FeedStateStore.open(dataDir)).update(() => {});
    assert.equal(await mode(dataDir), 0o700);
    assert.equal(await mode(path.dirname(dataDir)), 0o700, 'folders created on the way too');
    const files = (await readdir(dataDir)).sort();
    assert.deepEqual(files, [
      'answers.jsonl',
      'digests.json',
      'feedback.jsonl',
      'feeds-state.json',
      'instant.json',
    ]);
    for (const file of files) assert.equal(await mode(path.join(dataDir, file)), 0o600, file);
  });
});

describe('damaged state files', () => {
  it('a damaged instant.json is named, moved aside, and the store starts empty', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'instant.json'),
      '{"version": 1, "subscriptions": {"d1": {"until": "soon"',
    );
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l)) });
    const store = await InstantStore.open(dir, { log, now: () => NOW });
    assert.equal(store.get('d1'), undefined);
    assert.deepEqual(await readdir(dir), ['instant.json.corrupt-2026-11-20T09-00-00-000Z']);
    const error = lines.find((l) => l.level === 50);
    assert.equal(error?.file, path.join(dir, 'instant.json'));
    assert.match(String(error?.problem), /not valid JSON/);
    assert.match(String(error?.msg), /^instant\.json is damaged: moved it aside/);
  });
});
