import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationCommandOptionType } from 'discord.js';
import digest, { ON_SUBSCRIPTION, SUBCOMMANDS } from '../commands/digest.js';
import { SubscriptionStore } from '../src/digest/store.js';
import { Subscriptions } from '../src/digest/subscribe.js';
import { tempDir } from './helpers/temp.js';

describe('/digest dispatch and the subscriptions service', () => {
  it('has exactly one handler for every subcommand it declares', () => {
    const declared = (digest.data.options ?? [])
      .filter((o) => o.type === ApplicationCommandOptionType.Subcommand)
      .map((o) => o.name)
      .sort();
    const handled = [...Object.keys(SUBCOMMANDS), ...Object.keys(ON_SUBSCRIPTION)].sort();
    assert.deepEqual(handled, declared);
  });

  it('builds, saves, resumes and removes a subscription record', async () => {
    const store = await SubscriptionStore.open(await tempDir());
    const at = new Date('2026-03-02T08:00:00Z');
    const subscriptions = new Subscriptions(store, () => at);
    const made = await subscriptions.subscribe({
      target: { kind: 'dm', userId: '1' },
      guildId: null,
      createdBy: '1',
      schedule: { text: 'daily 08:00', cron: '0 8 * * *' },
      timeZone: 'UTC',
      topic: null,
      outlet: null,
      maxItems: null,
    });
    assert.equal(made.createdAt, at.toISOString());
    assert.equal(made.maxItems, 10, 'the default number of stories');
    assert.deepEqual(store.get(made.id), made, 'saved as built');
    await store.update(made.id, (s) => {
      s.paused = { at: at.toISOString(), reason: 'failed 3 times' };
      s.consecutiveFailures = 3;
    });
    const resumed = await subscriptions.resume(made.id);
    assert.equal(resumed?.paused, null);
    assert.equal(resumed?.consecutiveFailures, 0);
    assert.equal(await subscriptions.unsubscribe(made.id), true);
    assert.equal(store.get(made.id), undefined);
  });
});
