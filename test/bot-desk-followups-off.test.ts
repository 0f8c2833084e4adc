import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatewayIntentBits } from 'discord.js';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';

/**
 * DISCORD_THREAD_FOLLOWUPS=0: the bot must not ask for the Message Content intent (this stand-in allows
 * no privileged intent and would close the connection with 4014), mentions still work without it, and a
 * follow-up in a thread is answered only when it mentions the bot.
 */
let h: BotHarness;

before(async () => {
  h = await startHarness({
    env: { DISCORD_THREAD_FOLLOWUPS: '0' },
    standIn: { allowedPrivilegedIntents: 0 },
  });
});
after(() => h.stop());

const button = (m: RecordedMessage, label: string) =>
  (m.components as Array<{ components: Array<{ custom_id: string; label: string }> }>)
    .flatMap((r) => r.components)
    .find((b) => b.label === label)?.custom_id as string;
const repliesTo = (messageId: string) =>
  h.discord.messages().filter((m) => m.referencedMessageId === messageId);

describe('follow-ups without the Message Content intent', () => {
  it('connects without asking for Message Content', () => {
    const intents = h.discord.identifies.at(-1)?.intents ?? 0;
    assert.equal(intents & GatewayIntentBits.MessageContent, 0);
    assert.ok(intents & GatewayIntentBits.GuildMessages);
  });

  it('answers in a thread only the follow-ups that mention the bot', async () => {
    const general = h.discord.guild().channels[0]?.id as string;
    const answer = await h.discord
      .sendCommand({
        name: 'ask',
        options: [str('question', 'What did Wang Huning say about paired-up assistance in Xizang?')],
      })
      .waitForFinalReply(15_000);
    await h.discord
      .clickButton({ customId: button(answer, 'Follow up in a thread'), message: answer })
      .waitForFinalReply(15_000);
    const [thread] = h.discord.threads(general);
    assert.ok(thread);
    assert.match(
      h.discord.messages(thread.id)[0]?.content ?? '',
      /Mention me \(@Clipdesk\) in each follow-up/,
    );

    const unmentioned = await h.discord.sendMessage({ channelId: thread.id, content: 'what about Hotan?' });
    const mentioned = await h.discord.sendMessage({
      channelId: thread.id,
      content: `${h.discord.botMention} what about Hotan?`,
    });
    const reply = await h.discord.waitFor(() => repliesTo(mentioned.messageId)[0], 15_000);
    assert.match(reply.content, /Read with the thread's earlier question/);
    assert.match((reply.embeds[0] as { title: string }).title, /Xinjiang/);
    assert.deepEqual(repliesTo(unmentioned.messageId), []);
  });
});
