import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostilePage } from '../bench/hostile-page.js';
import type { InteractionHandle } from '../playground/discord-standin/types.js';
import type { LivingArchive } from '../src/living-archive.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';

let h: BotHarness;

before(async () => {
  // Discord's own clock: an interaction not acknowledged within 3 s of real time is refused (10062).
  h = await startHarness({ standIn: { now: () => Date.now() } });
});
after(() => h.stop());

describe('a large page does not freeze the bot', () => {
  it('/ask stays acknowledged within 3 s while a 1 MB page is ingested, and the page is then searchable', async () => {
    const page = hostilePage(17_000, 10_000);
    assert.ok(Buffer.byteLength(page) > 1_000_000, 'a page of over 1 MB');
    const file = path.join(h.corpusDir, 'harbour-report.html');
    await writeFile(file, page);
    let ingested = false;
    const ingesting = (h.bot.ctx.living as LivingArchive).ingestCorpus([file]).finally(() => {
      ingested = true;
    });
    // Questions one after another for as long as the ingest runs.
    const asked: InteractionHandle[] = [];
    while (!ingested) {
      const handle = h.discord.sendCommand({
        name: 'ask',
        options: [str('question', 'How many heart patients were treated for free?')],
      });
      asked.push(handle);
      await Promise.race([handle.waitForFinalReply(60_000), ingesting]);
    }
    const { summary } = await ingesting;
    assert.equal(summary.added, 1, JSON.stringify(summary.skipped));
    for (const handle of asked) {
      const reply = await handle.waitForFinalReply(60_000).catch(() => null);
      assert.deepEqual(handle.rejected, [], 'every question was acknowledged in time');
      assert.match(String((reply?.embeds[0] as { description?: string })?.description), /8,300 patients/);
    }
    assert.ok(asked.length >= 2, `questions were asked during the ingest (${asked.length})`);
    const after = await h.discord
      .sendCommand({
        name: 'ask',
        options: [str('question', 'What did item 14999 say the harbour dredging cost?')],
      })
      .waitForFinalReply(30_000);
    assert.match(JSON.stringify(after.embeds), /harbour dredging cost/);
  });
});
