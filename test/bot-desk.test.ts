import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GatewayIntentBits } from 'discord.js';
import { pino } from 'pino';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import type { DeskEvent } from '../src/desk/trail.js';
import type { Subscription } from '../src/digest/subscription.js';
import { MAX_ALERTS_PER_PERSON } from '../src/discord/desk.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';
import { copyOfShippedCorpus } from './helpers/temp.js';

/**
 * The research desk end to end (issue 18): the real bot and discord.js client against the stand-in with
 * two allowed servers and one that is not, an admin (alice, Manage Server) and members without it (bob).
 */
const NEWSROOM = '111111111111111111';
const BUREAU = '444444444444444444';
const OTHERS = '222222222222222222';
const MANAGER = '32'; // Manage Server

let h: BotHarness;
const logLines: Array<Record<string, unknown>> = [];

const article = (title: string, outlet: string, date: string, body: string) =>
  `---\ntitle: "${title}"\noutlet: ${outlet}\ndate: ${date}\n---\n${body}\n`;

before(async () => {
  const corpus = await copyOfShippedCorpus();
  await mkdir(path.join(corpus, 'sports'));
  await mkdir(path.join(corpus, 'news'));
  await writeFile(
    path.join(corpus, 'sports', 'hotan-cycling.md'),
    article(
      'Desert stage of the Silk Road cycling tour',
      'Sports Wire',
      '2025-06-02',
      'Riders crossed the desert near Hotan on Sunday in the third stage of the Silk Road cycling tour. Aziz Tursun won the stage in four hours and twelve minutes, ahead of two riders from Kazakhstan.\n\nThe organisers said 120 cyclists from 18 countries started the tour this year, more than ever before.',
    ),
  );
  await writeFile(
    path.join(corpus, 'sports', 'lhasa-marathon.md'),
    article(
      'Lhasa marathon draws a record field',
      'Sports Wire',
      '2024-09-01',
      'More than 5,000 runners took part in the Lhasa marathon on Saturday, the largest field since the race began.\n\nThe winner, Tashi Dorje, finished in two hours and twenty minutes at an altitude of 3,650 metres.',
    ),
  );
  await writeFile(
    path.join(corpus, 'news', 'cycling-lanes.md'),
    article(
      'City opens new cycling lanes',
      'Metro Desk',
      '2025-06-03',
      'The city opened twelve kilometres of new cycling lanes on Monday. Commuters said the lanes make the ride to work safer, and the council plans eight kilometres more next year.',
    ),
  );
  h = await startHarness({
    corpusDir: corpus,
    env: { DISCORD_ALLOWED_GUILDS: `${NEWSROOM},${BUREAU}` },
    standIn: {
      users: ['alice', 'bob', 'carol', 'mallory'].map((username) => ({ username })),
      guilds: [
        {
          id: NEWSROOM,
          name: 'Newsroom',
          channels: [{ name: 'general' }, { name: 'sports-desk' }],
          members: ['alice', 'bob', 'carol'],
        },
        { id: BUREAU, name: 'Bureau', channels: [{ name: 'bureau-desk' }], members: ['alice', 'bob'] },
        { id: OTHERS, name: 'Somebody Else', channels: [{ name: 'lobby' }], members: ['mallory'] },
      ],
    },
    bot: {
      log: pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line)) }),
    },
  });
});
after(() => h.stop());

const ALICE = 0;
const BOB = 1;
const MALLORY = 3;
const channel = (guild: number, name: string) => {
  const found = h.discord.guild(guild).channels.find((c) => c.name === name);
  assert.ok(found, `channel ${name}`);
  return found.id;
};
const buttons = (m: RecordedMessage) =>
  (m.components as Array<{ components: Array<{ custom_id?: string; label?: string }> }>).flatMap(
    (row) => row.components,
  );
const button = (m: RecordedMessage, label: string) => {
  const found = buttons(m).find((b) => b.label === label);
  assert.ok(found?.custom_id, `a "${label}" button on ${JSON.stringify(buttons(m).map((b) => b.label))}`);
  return found.custom_id;
};
const embeds = (m: RecordedMessage) =>
  m.embeds as Array<{ title: string; description: string; footer: { text: string } }>;
/** The bot's replies to a person's message. */
const repliesTo = (messageId: string) =>
  h.discord.messages().filter((m) => m.referencedMessageId === messageId && !m.deleted);
const waitForReply = (messageId: string) =>
  h.discord.waitFor(() => repliesTo(messageId)[0], 15_000, `a reply to ${messageId}`);
const trail = async () =>
  (await readFile(path.join(h.config.dataDir, 'desk.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DeskEvent);
const ask = (question: string, channelId: string, extra: ReturnType<typeof str>[] = [], userIdx = ALICE) =>
  h.discord
    .sendCommand({ name: 'ask', options: [str('question', question), ...extra], channelId, userIdx })
    .waitForFinalReply(15_000);

describe('mentions', () => {
  it('asks for server messages and Message Content (follow-ups are on by default)', () => {
    const intents = h.discord.identifies.at(-1)?.intents ?? 0;
    assert.ok(intents & GatewayIntentBits.GuildMessages);
    assert.ok(intents & GatewayIntentBits.MessageContent);
  });

  it('answers a message that mentions the bot as a reply, like /ask, pinging nobody', async () => {
    const general = channel(0, 'general');
    const { messageId } = await h.discord.sendMessage({
      channelId: general,
      content: `${h.discord.botMention} How many heart patients were treated for free?`,
      userIdx: ALICE,
    });
    const reply = await waitForReply(messageId);
    assert.equal(reply.channelId, general);
    assert.equal(reply.type, 19, 'a reply');
    assert.deepEqual(reply.allowedMentions, { parse: [], replied_user: false });
    assert.deepEqual(reply.mentionedUserIds, []);
    assert.equal(reply.mentionEveryone, false);
    assert.match(reply.content, /^\*\*Question:\*\* How many heart patients were treated for free\?/);
    assert.doesNotMatch(reply.content, /<@/);
    assert.match(embeds(reply)[0]?.description ?? '', /8,300 patients with congenital heart disease/);
    assert.ok(button(reply, 'Follow up in a thread').startsWith('ask:thread:'));
    assert.ok(button(reply, '🔔 Alert me').startsWith('ask:alert:'));
    assert.ok(button(reply, '👍'));
    const events = await trail();
    assert.ok(events.some((e) => e.kind === 'mention' && e.channelId === general));
  });

  it('answers in a second allowed server too (the bot’s role as mention), and a message without a mention is left alone', async () => {
    const desk = channel(1, 'bureau-desk');
    const plain = await h.discord.sendMessage({
      channelId: desk,
      content: 'How many heart patients were treated for free?',
      userIdx: BOB,
    });
    const { messageId } = await h.discord.sendMessage({
      channelId: desk,
      content: `<@&${h.discord.guild(1).botRoleId}> When did Xi Jinping travel from Fujian to Xizang?`,
      userIdx: BOB,
    });
    const reply = await waitForReply(messageId);
    assert.match(embeds(reply)[0]?.title ?? '', /Xi Story/);
    assert.deepEqual(repliesTo(plain.messageId), [], 'no mention, not in a follow-up thread: not a question');
  });

  it('answers nothing in a server that is not allowed', async () => {
    const lobby = channel(2, 'lobby');
    await h.discord.waitFor(() => !h.discord.joinedGuildIds().includes(OTHERS) || undefined);
    const { messageId } = await h.discord.sendMessage({
      channelId: lobby,
      content: `${h.discord.botMention} How many heart patients were treated for free?`,
      userIdx: MALLORY,
    });
    // Messages are handled in order: once a later one elsewhere is answered, this one was seen.
    const later = await h.discord.sendMessage({
      channelId: channel(0, 'general'),
      content: `${h.discord.botMention} help`,
      userIdx: ALICE,
    });
    await waitForReply(later.messageId);
    assert.deepEqual(repliesTo(messageId), []);
    assert.deepEqual(h.discord.messages(lobby), []);
  });
});

describe('follow-ups in a thread', () => {
  let threadId = '';
  const threadReplies = () => h.discord.messages(threadId).filter((m) => m.referencedMessageId);
  const followUp = async (content: string) => {
    const { messageId } = await h.discord.sendMessage({ channelId: threadId, content, userIdx: BOB });
    return waitForReply(messageId);
  };

  it('opens a public thread on the answer, named after the question', async () => {
    const general = channel(0, 'general');
    const question = 'What did Wang Huning say about paired-up assistance in Xizang?';
    const answer = await ask(question, general, [str('since', '2024-01-01')]);
    const click = h.discord.clickButton({
      customId: button(answer, 'Follow up in a thread'),
      message: answer,
      userIdx: BOB,
    });
    const note = await click.waitForFinalReply(15_000);
    assert.equal(note.ephemeral, true);
    const [thread] = h.discord.threads(general);
    assert.ok(thread, 'a thread in the channel');
    assert.equal(thread.id, answer.id, 'started from the answer message');
    assert.equal(thread.type, 11, 'public');
    assert.equal(thread.name, question);
    assert.ok(thread.memberIds.includes(h.discord.botUserId));
    assert.match(note.content, new RegExp(`<#${thread.id}>`));
    threadId = thread.id;
    const [intro] = h.discord.messages(threadId);
    assert.match(intro?.content ?? '', /Follow-ups on:\*\* What did Wang Huning/);
    assert.deepEqual(intro?.allowedMentions, { parse: [] });
    // A second click points to the thread instead of failing.
    const again = await h.discord
      .clickButton({ customId: button(answer, 'Follow up in a thread'), message: answer, userIdx: ALICE })
      .waitForFinalReply();
    assert.match(again.content, /already has its follow-up thread/);
  });

  it('answers an elliptic follow-up from the thread’s earlier question, keeping its filters', async () => {
    const reply = await followUp('what about Hotan?');
    assert.equal(reply.channelId, threadId);
    assert.match(reply.content, /Read with the thread's earlier question/);
    assert.match(reply.content, /Wang Huning say about paired-up assistance in Hotan/);
    assert.match(reply.content, /Only since 2024-01-01/);
    assert.match(embeds(reply)[0]?.title ?? '', /Xinjiang/);
    assert.deepEqual(reply.allowedMentions, { parse: [], replied_user: false });
    assert.equal(
      buttons(reply).some((b) => b.label === 'Follow up in a thread'),
      false,
      'no thread inside a thread',
    );
    assert.ok(button(reply, '🔔 Alert me'));
  });

  it('reads "who else said that?" with the question before it, and asks a self-standing one as it is', async () => {
    const who = await followUp('who else said that?');
    assert.match(who.content, /Read with the thread's earlier question/);
    assert.match(who.content, /Wang Huning/);
    const own = await followUp('When did Xi Jinping travel from Fujian to Xizang?');
    assert.doesNotMatch(own.content, /Read with/);
    assert.match(own.content, /^\*\*Question:\*\* When did Xi Jinping travel from Fujian to Xizang\?/);
    assert.match(embeds(own)[0]?.title ?? '', /Xi Story/);
    assert.equal(threadReplies().length, 3);
    const hows = (await trail()).flatMap((e) => (e.kind === 'follow-up' ? [e.how] : []));
    assert.deepEqual(hows, ['replaced', 'joined', 'as-is']);
  });

  it('keeps the thread’s questions across a restart', async () => {
    await h.restart();
    await h.discord.waitForReady();
    const reply = await followUp('and in 1998?');
    assert.match(reply.content, /Read with the thread's earlier question/);
    assert.match(reply.content, /Xi Jinping travel from Fujian to Xizang/);
    const saved = JSON.parse(await readFile(path.join(h.config.dataDir, 'threads.json'), 'utf8'));
    assert.equal(saved.threads[threadId].questions.length, 5);
  });
});

describe('/scope', () => {
  it('is refused to a member without Manage Server', async () => {
    const desk = channel(0, 'sports-desk');
    const reply = await h.discord
      .sendCommand({
        name: 'scope',
        options: [sub('set', [str('folders', 'sports')])],
        channelId: desk,
        userIdx: BOB,
      })
      .waitForFinalReply();
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /needs the Manage Server permission/);
    assert.equal(h.bot.ctx.desk.scopes.get(desk), undefined);
    assert.ok((await trail()).some((e) => e.kind === 'scope-refused' && e.channelId === desk));
  });

  it('limits a channel to its folder: answers only from it, and refuses to widen it', async () => {
    const desk = channel(0, 'sports-desk');
    const general = channel(0, 'general');
    const set = await h.discord
      .sendCommand({
        name: 'scope',
        options: [sub('set', [str('folders', 'sports'), str('since', '2024-01-01')])],
        channelId: desk,
        userIdx: ALICE,
        memberPermissions: MANAGER,
      })
      .waitForFinalReply();
    assert.equal(set.ephemeral, false);
    assert.match(set.content, /see only folder sports · since 2024-01-01: 2 articles/);
    assert.deepEqual(set.mentionedUserIds, []);

    const inScope = await ask('How many cyclists started the tour this year?', desk);
    assert.ok(embeds(inScope).length > 0);
    for (const e of embeds(inScope)) assert.match(e.footer.text, /File: sports\//);
    assert.match(inScope.content, /Channel scope: folder sports · since 2024-01-01/);

    // Answered elsewhere, but not from this channel's folder.
    const lanes = 'How many kilometres of new cycling lanes did the city open?';
    assert.match(embeds(await ask(lanes, general))[0]?.footer.text ?? '', /File: news\/cycling-lanes\.md/);
    const outside = await ask(lanes, desk);
    assert.deepEqual(outside.embeds, []);
    assert.match(outside.content, /This channel sees only folder sports/);

    // A mention in the scoped channel stays within it too.
    const { messageId } = await h.discord.sendMessage({
      channelId: desk,
      content: `${h.discord.botMention} ${lanes}`,
      userIdx: BOB,
    });
    assert.deepEqual((await waitForReply(messageId)).embeds, []);

    const widen = await h.discord
      .sendCommand({
        name: 'ask',
        options: [str('question', 'How many cyclists started the tour?'), str('since', '2020-01-01')],
        channelId: desk,
      })
      .waitForFinalReply();
    assert.equal(widen.ephemeral, true);
    assert.match(widen.content, /since 2020-01-01 would widen it/);

    const sources = await h.discord.sendCommand({ name: 'sources', channelId: desk }).waitForFinalReply();
    const listed = (sources.embeds[0] as { title: string; description: string }).title;
    assert.match(listed, /^Archive: 2 articles \(this channel: folder sports/);

    const status = await h.discord.sendCommand({ name: 'status', channelId: desk }).waitForFinalReply();
    const fields = (status.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    assert.match(fields.find((f) => f.name === 'Scope of this channel')?.value ?? '', /folder sports/);
    assert.ok((await trail()).some((e) => e.kind === 'scope-set' && e.channelId === desk));
  });

  it('keeps a digest posted in the channel within its scope', async () => {
    const desk = channel(0, 'sports-desk');
    const made = await h.discord
      .sendCommand({
        name: 'digest',
        options: [
          sub('subscribe', [
            str('schedule', 'daily 08:00'),
            { name: 'everything_added', type: 5, value: true },
          ]),
        ],
        channelId: desk,
        memberPermissions: MANAGER,
      })
      .waitForFinalReply();
    const id = /`(d[0-9a-f]{8})`/.exec(made.content)?.[1] as string;
    assert.ok(id, made.content);
    const preview = await h.discord
      .sendCommand({
        name: 'digest',
        options: [sub('preview', [str('id', id)])],
        channelId: desk,
        memberPermissions: MANAGER,
      })
      .waitForFinalReply(15_000);
    const titles = (preview.embeds as Array<{ title?: string }>).flatMap((e) => (e.title ? [e.title] : []));
    assert.deepEqual(titles.sort(), [
      'Desert stage of the Silk Road cycling tour',
      'Lhasa marathon draws a record field',
    ]);
    await h.bot.ctx.digests.store.remove(id);
  });

  it('autocompletes folders under the corpus folder', async () => {
    const handle = h.discord.sendAutocomplete({
      name: 'scope',
      options: [sub('set', [{ ...str('folders', 'spo'), focused: true }])],
      channelId: channel(0, 'sports-desk'),
      memberPermissions: MANAGER,
    });
    const choices = await h.discord.waitFor(() => handle.autocompleteChoices());
    assert.deepEqual(
      choices.map((c) => c.value),
      ['sports'],
    );
  });
});

describe('🔔 Alert me', () => {
  it('sends a DM when a matching article in the channel’s scope is added, and says how to stop it', async () => {
    const desk = channel(0, 'sports-desk');
    const question = 'Who won the Kashgar cycling stage?';
    // Whatever the archive answers now (nothing about Kashgar is in it yet), the answer carries the button.
    const answer = await ask(question, desk, [], BOB);
    const confirm = await h.discord
      .clickButton({ customId: button(answer, '🔔 Alert me'), message: answer, userIdx: BOB })
      .waitForFinalReply();
    assert.equal(confirm.ephemeral, true);
    assert.match(confirm.content, /`\/digest list`/);
    assert.match(confirm.content, /`\/digest unsubscribe id:d[0-9a-f]{8}`/);
    const id = /`(d[0-9a-f]{8})`/.exec(confirm.content)?.[1] as string;
    const subscription = h.bot.ctx.digests.store.get(id) as Subscription;
    assert.deepEqual(subscription.target, { kind: 'dm', userId: h.discord.user(BOB).id });
    assert.equal(subscription.topic, question);
    assert.deepEqual(subscription.scope?.folders, ['sports']);

    h.advance(60_000);
    await writeFile(
      path.join(h.corpusDir, 'news', 'kashgar-roads.md'),
      article(
        'Roads closed in Kashgar for the cycling stage',
        'Metro Desk',
        '2026-11-19',
        'Police closed roads in Kashgar on Tuesday for the cycling stage, and buses were diverted around the old town until the riders had passed.',
      ),
    );
    await writeFile(
      path.join(h.corpusDir, 'sports', 'kashgar-stage.md'),
      article(
        'Li Wei wins the Kashgar cycling stage',
        'Sports Wire',
        '2026-11-19',
        'Li Wei won the Kashgar stage of the Silk Road cycling tour on Tuesday, sprinting clear of the leading group in the last kilometre.\n\nAziz Tursun kept the overall lead.',
      ),
    );
    await h.bot.ctx.living?.ingestCorpus();
    const dm = await h.discord.waitFor(() => {
      const ch = h.discord.dmChannelOf(h.discord.user(BOB).id);
      return ch ? h.discord.messages(ch).find((m) => m.embeds.length > 0) : undefined;
    }, 15_000);
    const titles = (dm.embeds as Array<{ title: string }>).map((e) => e.title);
    assert.deepEqual(titles, ['Li Wei wins the Kashgar cycling stage'], 'only the article within the scope');
    assert.deepEqual(dm.allowedMentions, { parse: [] });
    assert.ok((await trail()).some((e) => e.kind === 'alert-created' && e.subscriptionId === id));
    // What the confirmation says to do works: /digest list in a DM shows it.
    const list = await h.discord
      .sendCommand({ name: 'digest', options: [sub('list', [])], guildId: null, userIdx: BOB })
      .waitForFinalReply();
    const fields = (list.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    const listed = fields.find((f) => f.name.startsWith(id));
    assert.match(
      listed?.value ?? '',
      /topic “Who won the Kashgar cycling stage\?” · folder sports · since 2024-01-01 · 🔔 alert/,
    );
  });

  it(`allows at most ${MAX_ALERTS_PER_PERSON} per person`, async () => {
    const carol = h.discord.user(2).id;
    for (let i = 0; i < MAX_ALERTS_PER_PERSON; i++) {
      await h.bot.ctx.digests.store.add({
        ...(h.bot.ctx.digests.store.all()[0] as Subscription),
        id: `dcafe${String(i).padStart(3, '0')}`,
        target: { kind: 'dm', userId: carol },
        createdBy: carol,
        topic: `topic ${i}`,
        fromAnswer: 'earlier',
      });
    }
    const answer = await ask('How many heart patients were treated for free?', channel(0, 'general'), [], 2);
    const refused = await h.discord
      .clickButton({ customId: button(answer, '🔔 Alert me'), message: answer, userIdx: 2 })
      .waitForFinalReply();
    assert.equal(refused.ephemeral, true);
    assert.match(refused.content, new RegExp(`You have ${MAX_ALERTS_PER_PERSON} alerts`));
    assert.equal(
      h.bot.ctx.digests.store.all().filter((s) => s.target.kind === 'dm' && s.target.userId === carol).length,
      MAX_ALERTS_PER_PERSON,
    );
  });
});

function sub(name: string, options: unknown[]) {
  return { name, type: 1, options } as never;
}
