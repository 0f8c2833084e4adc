import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Routes } from 'discord.js';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';

let h: BotHarness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

const description = (m: RecordedMessage | undefined) =>
  String((m?.embeds[0] as { description?: string })?.description);
const buttonId = (m: RecordedMessage, label: string) =>
  (m.components as Array<{ components: Array<{ custom_id?: string; label?: string }> }>)
    .flatMap((row) => row.components)
    .find((b) => b.label === label)?.custom_id as string;

describe('Discord markup in questions', () => {
  it('/ask with a user mention, a role, a channel and a custom emoji still finds the answer', async () => {
    const alice = h.discord.user(0).id;
    const channel = h.discord.guild().channels[0]?.id;
    const reply = await h.discord
      .sendCommand({
        name: 'ask',
        options: [
          str(
            'question',
            `<@${alice}> how many heart patients <@&${alice}> were treated for free <#${channel}> <:heart:123456789012345678>`,
          ),
        ],
      })
      .waitForFinalReply();
    assert.match(description(reply), /8,300 patients with congenital heart disease/);
  });

  it('a direct message that mentions the bot is answered from the words after it', async () => {
    await h.discord.sendDirectMessage({
      content: `<@${h.discord.botUserId}> How many heart patients were treated for free?`,
      userIdx: 1,
    });
    const reply = await h.discord.waitFor(() => {
      const dm = h.discord.dmChannelOf(h.discord.user(1).id);
      return dm ? h.discord.messages(dm).find((m) => m.embeds.length > 0) : undefined;
    }, 10_000);
    assert.match(description(reply), /8,300 patients with congenital heart disease/);
  });
});

describe('buttons out of range', () => {
  it('a Share of a page that does not exist is answered privately; nothing is posted in the channel', async () => {
    const reply = await h.discord
      .sendCommand({
        name: 'ask',
        options: [str('question', 'How many orphans were supported?')],
        userIdx: 2,
      })
      .waitForFinalReply();
    const answerId = /^ask:vote:([\w-]+):0:up$/.exec(buttonId(reply, '👍'))?.[1];
    assert.ok(answerId);
    // A Share button for a page the answer does not have, as a tampered client could send it.
    const customId = `ask:share:${answerId}:99`;
    await h.bot.client.rest.patch(Routes.channelMessage(reply.channelId, reply.id), {
      body: {
        components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Share', custom_id: customId }] }],
      },
    });
    const message = h.discord.message(reply.id) as RecordedMessage;
    const click = h.discord.clickButton({ customId, message, userIdx: 2 });
    const told = await h.discord.waitFor(
      () =>
        [click.original(), ...click.followUps()].find((m) => m && !m.loading && /expired/.test(m.content)),
      10_000,
      'the "expired" answer',
    );
    assert.equal(told.ephemeral, true, 'told privately');
    const visible = h.discord
      .messages(reply.channelId)
      .filter((m) => m.interactionId === click.id && !m.deleted && !m.ephemeral);
    assert.deepEqual(
      visible.map((m) => m.content),
      [],
      'no public message, not even a "thinking…" left behind',
    );
  });
});
