import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InteractionHandle } from '../playground/discord-standin/types.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';
import { copyOfShippedCorpus } from './helpers/temp.js';

/**
 * A digest build over many new articles while someone asks a question. The clock moves with the work the
 * build reports (as if grouping were slow), so a build that kept the event loop to itself would let the
 * question's 3 seconds pass before the bot could acknowledge it.
 */
const ARTICLES = 200;
/** Clock milliseconds per unit of grouping work: the whole build spans well over 3 s of clock. */
const MS_PER_UNIT = 0.25;

let h: BotHarness;
let onWork: (units: number) => void = () => {};

before(async () => {
  const corpus = await copyOfShippedCorpus();
  // Templated reports share their common words, so every pair is a candidate for the same-story rule.
  const lines = Array.from({ length: ARTICLES }, (_, i) =>
    JSON.stringify({
      id: `report-${i}`,
      title: `Harbour report ${i}`,
      date: '2026-11-20',
      outlet: 'Port Bulletin',
      body: `The harbour authority reported ${i} ships in port on the morning of the count.`,
    }),
  );
  await writeFile(path.join(corpus, 'reports.jsonl'), `${lines.join('\n')}\n`);
  h = await startHarness({ corpusDir: corpus, bot: { onDigestWork: (units) => onWork(units) } });
});
after(() => h.stop());

describe('a large digest build', () => {
  it('leaves every interaction acknowledged within 3 s while it runs, with the clock moving as it works', async () => {
    const subscribed = await h.discord
      .sendCommand({
        name: 'digest',
        options: [{ name: 'subscribe', type: 1, options: [str('schedule', 'daily 08:00')] as never[] }],
        memberPermissions: '32',
      })
      .waitForFinalReply();
    const id = /`(d[0-9a-f]{8})`/.exec(subscribed.content)?.[1] as string;
    assert.ok(id);

    let ask: InteractionHandle | undefined;
    let askedAt = 0;
    let worked = 0;
    onWork = (units) => {
      worked += units;
      h.advance(units * MS_PER_UNIT);
      if (!ask) {
        // Someone asks while the build is under way.
        askedAt = h.bot.ctx.now().getTime();
        ask = h.discord.sendCommand({
          name: 'ask',
          options: [str('question', 'How many orphans were supported?')],
        });
      }
    };
    const started = h.bot.ctx.now().getTime();
    const preview = await h.discord
      .sendCommand({
        name: 'digest',
        options: [{ name: 'preview', type: 1, options: [str('id', id)] as never[] }],
        memberPermissions: '32',
      })
      .waitForFinalReply(30_000);
    onWork = () => {};
    assert.match(preview.content, /Showing 10; \d+ more/);
    assert.ok(
      h.bot.ctx.now().getTime() - started > 10_000,
      `the build spanned ${h.bot.ctx.now().getTime() - started} ms of clock`,
    );
    assert.ok(worked > 0);

    assert.ok(ask, 'a question was sent during the build');
    const answer = await ask.waitForFinalReply(10_000);
    assert.deepEqual(ask.rejected, [], 'Discord accepted the acknowledgement');
    const ackAt = ask.callbacks[0]?.at as number;
    assert.ok(ackAt - askedAt <= 3_000, `acknowledged ${ackAt - askedAt} ms after it was sent`);
    assert.ok(answer.embeds.length > 0);
  });
});
