import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';
import { everyResultParamsFile } from './helpers/index.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

let h: BotHarness;

before(async () => {
  const corpus = await copyOfShippedCorpus();
  // An article that tries to ping everyone, a role and a person, and uses markdown.
  await writeFile(
    path.join(corpus, 'pings.md'),
    '---\ntitle: "Town hall **alert** @everyone"\noutlet: Bulletin\ndate: 2025-03-01\n---\n@everyone the town hall meeting moves to Friday, said <@&123456789012345678> and <@234567890123456789>. Bring **your** notes_and_questions.\n',
  );
  h = await startHarness({
    corpusDir: corpus,
    // Paging needs several results: every candidate is shown (what clears the floor is not tested here).
    env: { DM_QUESTIONS_PER_MINUTE: '3', RELEVANCE_PARAMS: await everyResultParamsFile(await tempDir()) },
    standIn: {
      users: ['alice', 'bob', 'carol', 'dave', 'erin'].map((username) => ({ username })),
    },
  });
});
after(() => h.stop());

const dmReplies = (userIdx: number) => {
  const channel = h.discord.dmChannelOf(h.discord.user(userIdx).id);
  return channel ? h.discord.messages(channel).filter((m) => !m.deleted) : [];
};
const waitForDmReplies = (userIdx: number, count: number) =>
  h.discord.waitFor(
    () => (dmReplies(userIdx).length >= count ? dmReplies(userIdx) : undefined),
    10_000,
    `${count} DM replies`,
  );

describe('direct messages', () => {
  it('answer a question in the DM like /ask', async () => {
    await h.discord.sendDirectMessage({
      content: 'How many heart patients were treated for free?',
      userIdx: 0,
    });
    const [reply] = await waitForDmReplies(0, 1);
    assert.ok(reply);
    assert.match(
      (reply.embeds[0] as { description: string }).description,
      /8,300 patients with congenital heart disease/,
    );
    assert.deepEqual(reply.allowedMentions, { parse: [], replied_user: false });
    assert.ok(
      !(reply.components as Array<{ components: Array<{ label: string }> }>)[0]?.components.some(
        (b) => b.label === 'Share',
      ),
    );
  });

  it('page with More inside the DM', async () => {
    await h.discord.sendDirectMessage({ content: 'assistance for Xizang officials', userIdx: 0 });
    const replies = await waitForDmReplies(0, 2);
    const answer = replies.at(-1) as RecordedMessage;
    const more = (
      answer.components as Array<{ components: Array<{ label: string; custom_id: string }> }>
    )[0]?.components.find((b) => b.label === 'More ▶');
    assert.ok(more, 'several articles answer, so there is a next page');
    h.discord.clickButton({ customId: more.custom_id, message: answer });
    await h.discord.waitFor(() =>
      h.discord.message(answer.id)?.content.includes('Articles 4–') ? true : undefined,
    );
  });

  it('answer "help" with the help text', async () => {
    await h.discord.sendDirectMessage({ content: 'help', userIdx: 0 });
    const replies = await waitForDmReplies(0, 3);
    const help = replies.at(-1)?.embeds[0] as { title: string } | undefined;
    assert.match(help?.title ?? '', /Clipdesk/);
  });

  it('tell someone asking too fast once, then wait for the minute to pass', async () => {
    const user = 1;
    for (let i = 0; i < 6; i++)
      await h.discord.sendDirectMessage({
        content: `How many orphans were supported? (${i})`,
        userIdx: user,
      });
    await waitForDmReplies(user, 4);
    // Let the remaining two messages be handled too before counting: direct messages are handled in
    // order, so once someone else's later message is answered, these were seen.
    await h.discord.sendDirectMessage({ content: 'help', userIdx: 4 });
    await waitForDmReplies(4, 1);
    const texts = dmReplies(user).map((m) => (m.embeds.length ? 'answer' : m.content));
    assert.equal(texts.length, 4, '3 answers and one notice');
    assert.equal(texts.filter((t) => t === 'answer').length, 3);
    const notices = texts.filter((t) => t.startsWith("You're sending messages faster"));
    assert.equal(notices.length, 1, 'one notice, not a pile of replies');
    assert.match(notices[0] ?? '', /\(3 a minute\)/);

    h.advance(61_000);
    await h.discord.sendDirectMessage({ content: 'How many orphans were supported?', userIdx: user });
    const after = await waitForDmReplies(user, 5);
    assert.ok((after.at(-1)?.embeds.length ?? 0) > 0, 'answered again after a minute');
  });

  it('explain an over-long question instead of answering it', async () => {
    await h.discord.sendDirectMessage({ content: `Tell me ${'everything '.repeat(60)}`, userIdx: 2 });
    const [reply] = await waitForDmReplies(2, 1);
    assert.match(reply?.content ?? '', /keep it under 500/);
  });
});

describe('mentions and markdown', () => {
  it('a question with @everyone, a role and a user pings nobody', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [
        str(
          'question',
          '@everyone <@&123456789012345678> <@234567890123456789> when is the town hall meeting?',
        ),
      ],
    });
    const reply = await handle.waitForFinalReply();
    // The markup is not part of the question: not searched, not echoed, and nothing is delivered.
    assert.match(reply.content, /when is the town hall meeting\?/);
    assert.doesNotMatch(reply.content, /@everyone|<@/);
    assert.deepEqual(reply.allowedMentions, { parse: [] });
    assert.equal(reply.mentionEveryone, false);
    assert.deepEqual(reply.mentionedUserIds, []);
  });

  it('an article with @everyone and mentions is shown, not delivered as pings, with its markdown escaped', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'When does the town hall meeting move?')],
    });
    const reply = await handle.waitForFinalReply();
    const embed = reply.embeds[0] as { title: string; description: string };
    assert.equal(embed.title, 'Town hall \\*\\*alert\\*\\* @everyone');
    assert.match(
      embed.description,
      /^> @everyone the town hall meeting moves to Friday, said <@&123456789012345678> and <@234567890123456789>\. Bring \\\*\\\*your\\\*\\\* notes\\_and\\_questions\.$/,
    );
    assert.equal(reply.mentionEveryone, false);
    assert.deepEqual(reply.mentionedUserIds, []);

    await h.discord.sendDirectMessage({ content: 'When does the town hall meeting move?', userIdx: 3 });
    const [dm] = await waitForDmReplies(3, 1);
    assert.equal(dm?.mentionEveryone, false);
    assert.deepEqual(dm?.mentionedUserIds, []);
  });
});
