import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { subscriptionSchema } from '../src/digest/subscription.js';
import { REFUSALS } from '../src/discord/admission.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';

/** Log lines the bot wrote, parsed. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

const NEWSROOM = '111111111111111111';
const OTHERS = '222222222222222222';
const LATER = '333333333333333333';

let h: BotHarness;
const logged = capturingLogger();

before(async () => {
  h = await startHarness({
    env: { DISCORD_ALLOWED_GUILDS: NEWSROOM, DM_QUESTIONS_PER_MINUTE: '3' },
    standIn: {
      users: [{ username: 'alice' }, { username: 'bob' }, { username: 'eve' }, { username: 'mallory' }],
      guilds: [
        { id: NEWSROOM, name: 'Newsroom', channels: [{ name: 'general' }], members: ['alice', 'bob'] },
        { id: OTHERS, name: 'Somebody Else', channels: [{ name: 'lobby' }], members: ['mallory'] },
      ],
    },
    bot: { log: logged.log },
  });
});
after(() => h.stop());

const memberLookups = (userIdx: number) =>
  h.discord.requests.filter(
    (r) => r.method === 'GET' && r.path.endsWith(`/members/${h.discord.user(userIdx).id}`),
  ).length;
const dmReplies = (userIdx: number) => {
  const channel = h.discord.dmChannelOf(h.discord.user(userIdx).id);
  return channel ? h.discord.messages(channel) : [];
};
const waitForDmReplies = (userIdx: number, count: number) =>
  h.discord.waitFor(
    () => (dmReplies(userIdx).length >= count ? dmReplies(userIdx) : undefined),
    10_000,
    `${count} DM replies`,
  );

describe('DISCORD_ALLOWED_GUILDS', () => {
  it('leaves a server that is not allowed when it connects, and logs it with id and name', async () => {
    await h.discord.waitFor(() => (h.discord.joinedGuildIds().length === 1 ? true : undefined));
    assert.deepEqual(h.discord.joinedGuildIds(), [NEWSROOM]);
    await h.discord.waitFor(() =>
      h.discord.requests.some((r) => r.method === 'DELETE' && r.path === `/users/@me/guilds/${OTHERS}`)
        ? true
        : undefined,
    );
    await h.discord.waitFor(() => !h.bot.client.guilds.cache.has(OTHERS) || undefined);
    const left = logged.lines.find((l) => l.msg === 'leaving a server not in DISCORD_ALLOWED_GUILDS');
    assert.equal(left?.guildId, OTHERS);
    assert.equal(left?.guildName, 'Somebody Else');
  });

  it('leaves a server it is added to later', async () => {
    h.discord.addGuild({ id: LATER, name: 'Drive-by Server' });
    await h.discord.waitFor(() =>
      h.discord.requests.some((r) => r.method === 'DELETE' && r.path === `/users/@me/guilds/${LATER}`)
        ? true
        : undefined,
    );
    assert.deepEqual(h.discord.joinedGuildIds(), [NEWSROOM]);
    const leaving = logged.lines.find(
      (l) => l.msg === 'leaving a server not in DISCORD_ALLOWED_GUILDS' && l.guildId === LATER,
    );
    assert.equal(leaving?.guildName, 'Drive-by Server');
  });

  it('answers in an allowed server', async () => {
    const reply = await h.discord
      .sendCommand({ name: 'ask', options: [str('question', 'How many orphans were supported?')] })
      .waitForFinalReply();
    assert.ok(reply.embeds.length > 0);
  });

  it('refuses, privately and at once, an interaction from another server', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      guildId: OTHERS,
      userIdx: 3,
      options: [str('question', 'How many orphans were supported?')],
    });
    const reply = await handle.waitForFinalReply();
    assert.equal(reply.ephemeral, true);
    assert.equal(reply.content, REFUSALS.server);
    assert.deepEqual(reply.embeds, []);
    assert.deepEqual(
      handle.callbacks.map((c) => c.type),
      [4],
      'answered at once, no search',
    );
    assert.ok(logged.lines.some((l) => l.msg === 'interaction refused: not an allowed server or member'));
  });

  it('gives no autocomplete choices to another server', async () => {
    const handle = h.discord.sendAutocomplete({
      name: 'ask',
      guildId: OTHERS,
      userIdx: 3,
      options: [str('question', 'x'), str('outlet', '', true)],
    });
    await h.discord.waitFor(() => handle.autocompleteChoices());
    assert.deepEqual(handle.autocompleteChoices(), []);
  });

  it('answers a direct message from a member of an allowed server', async () => {
    await h.discord.sendDirectMessage({ content: 'How many orphans were supported?', userIdx: 0 });
    const [answer] = await waitForDmReplies(0, 1);
    assert.ok((answer?.embeds.length ?? 0) > 0);
    assert.equal(memberLookups(0), 1, 'checked through GET /guilds/{id}/members/{user}');
  });

  it('refuses direct messages and DM commands from someone in no allowed server, remembering the answer for a while', async () => {
    await h.discord.sendDirectMessage({ content: 'How many orphans were supported?', userIdx: 2 });
    const [refusal] = await waitForDmReplies(2, 1);
    assert.equal(refusal?.content, REFUSALS.stranger);
    assert.deepEqual(refusal?.embeds, []);

    const command = await h.discord
      .sendCommand({
        name: 'ask',
        guildId: null,
        userIdx: 2,
        options: [str('question', 'How many orphans were supported?')],
      })
      .waitForFinalReply();
    assert.equal(command.ephemeral, true);
    assert.equal(command.content, REFUSALS.stranger);
    assert.equal(memberLookups(2), 1, 'the second refusal came from the cache');

    const mallory = await h.discord
      .sendCommand({ name: 'help', guildId: null, userIdx: 3 })
      .waitForFinalReply();
    assert.equal(
      mallory.content,
      REFUSALS.stranger,
      'a member of a server that is not allowed is a stranger',
    );

    h.advance(3 * 60_000); // a stranger's answer is kept two minutes
    await h.discord.sendDirectMessage({ content: 'help', userIdx: 2 });
    const replies = await waitForDmReplies(2, 3); // the refusal, the DM command's reply, this one
    assert.equal(replies.at(-1)?.content, REFUSALS.stranger);
    assert.equal(memberLookups(2), 2, 'asked again once the answer expired');
  });

  it('does not post a digest by DM to someone who is not a member, nor to a channel of another server', async () => {
    const base = {
      createdBy: h.discord.user(2).id,
      createdAt: h.bot.ctx.now().toISOString(),
      schedule: { text: 'daily 09:00', cron: '0 9 * * *' },
      timeZone: 'UTC',
      topic: null,
      outlet: null,
      maxItems: 10,
      postWhenEmpty: true,
      lastPeriod: null,
      coveredUntil: null,
      lastRun: null,
      consecutiveFailures: 0,
      paused: null,
    };
    // Made before DISCORD_ALLOWED_GUILDS was set (or by someone who has left since).
    await h.bot.ctx.digests.store.add(
      subscriptionSchema.parse({
        ...base,
        id: 'dstranger',
        target: { kind: 'dm', userId: h.discord.user(2).id },
        guildId: null,
      }),
    );
    await h.bot.ctx.digests.store.add(
      subscriptionSchema.parse({
        ...base,
        id: 'dothers',
        target: { kind: 'channel', guildId: OTHERS, channelId: h.discord.guild(1).channels[0]?.id },
        guildId: OTHERS,
      }),
    );
    const dm = await h.bot.ctx.digests.scheduler.runNow('dstranger');
    assert.equal(dm?.status, 'failed');
    assert.equal(dm?.error, 'that person is not a member of an allowed server');
    const channel = await h.bot.ctx.digests.scheduler.runNow('dothers');
    assert.equal(channel?.error, 'that server is not in DISCORD_ALLOWED_GUILDS');
    const posts = h.discord.messages().filter((m) => /Clipdesk digest/.test(m.content));
    assert.deepEqual(posts, []);
  });

  it('counts every direct message, help included, against the rate limit', async () => {
    h.advance(2 * 60_000);
    for (let i = 0; i < 200; i++) await h.discord.sendDirectMessage({ content: 'help', userIdx: 1 });
    const ignored = () =>
      logged.lines.filter((l) => l.msg === 'direct message over the rate limit: ignored').length;
    await h.discord.waitFor(() => ignored() >= 196 || undefined, 10_000, 'every help handled');
    await waitForDmReplies(1, 4);
    h.advance(61_000);
    await h.discord.sendDirectMessage({ content: 'help', userIdx: 1 });
    const replies = await waitForDmReplies(1, 5);
    assert.equal(replies.length, 5, '3 help texts, one notice, then the help after a minute');
    assert.equal(replies.filter((m) => m.content.startsWith("You're sending messages faster")).length, 1);
  });
});

describe('with DISCORD_ALLOWED_GUILDS unset', () => {
  it('warns at start that every server the bot joins can read the archive', async () => {
    const open = capturingLogger();
    const harness = await startHarness({ bot: { log: open.log } });
    try {
      const warning = open.lines.find(
        (l) => l.level === 40 && /DISCORD_ALLOWED_GUILDS is not set/.test(String(l.msg)),
      );
      assert.match(
        String(warning?.msg),
        /every server the bot joins, and anyone who DMs it, can read the whole archive/,
      );
    } finally {
      await harness.stop();
    }
  });
});
