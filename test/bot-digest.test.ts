import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import { type BotHarness, bool, chan, int, startHarness, str } from './helpers/bot.js';

/** The harness clock starts at 2026-11-20T09:00Z; the shipped articles enter the archive then. */
let h: BotHarness;
const MANAGER = '32'; // Manage Server

const md = (title: string, outlet: string, date: string, body: string) =>
  `---\ntitle: "${title}"\noutlet: ${outlet}\ndate: ${date}\n---\n${body}\n`;

async function addArticles(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(h.corpusDir, name), text);
  await h.bot.ctx.reindex();
}

function setClock(isoTime: string) {
  h.advance(Date.parse(isoTime) - h.bot.ctx.now().getTime());
}

async function subscribe(
  options: Array<{ name: string; type: number; value: unknown }>,
  where: { guildId?: null; userIdx?: number; memberPermissions?: string } = {},
) {
  const reply = await h.discord
    .sendCommand({
      name: 'digest',
      options: [{ name: 'subscribe', type: 1, options: options as never[] }],
      memberPermissions: MANAGER,
      ...where,
    })
    .waitForFinalReply();
  const id = /`(d[0-9a-f]{8})`/.exec(reply.content)?.[1];
  return { reply, id };
}

const digestCommand = (name: string, id: string, where: { guildId?: null; userIdx?: number } = {}) =>
  h.discord.sendCommand({
    name: 'digest',
    options: [{ name, type: 1, options: [str('id', id)] as never[] }],
    memberPermissions: MANAGER,
    ...where,
  });

const channelMessages = () =>
  h.discord.messages(h.discord.guild().channels[0]?.id).filter((m) => !m.interactionId);

before(async () => {
  h = await startHarness({
    env: { DIGEST_LOOKBACK_HOURS: '12', DIGEST_TIMEZONE: 'Europe/Paris' },
    bot: { startScheduler: false },
  });
});
after(() => h.stop());

describe('/digest subscribe and the scheduled post', () => {
  let id: string;

  it('subscribes a channel and answers with the id and the next three runs in the time zone', async () => {
    const { reply, id: made } = await subscribe([str('schedule', 'daily 09:00')]);
    assert.ok(made);
    id = made;
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /daily 09:00 \(Europe\/Paris\) to <#\d+>/);
    assert.match(
      reply.content,
      /21 Nov 2026, 09:00 \(Europe\/Paris\)\n• 22 Nov 2026, 09:00 \(Europe\/Paris\)\n• 23 Nov 2026, 09:00 \(Europe\/Paris\)/,
    );
  });

  it('posts, at 09:00 local, the articles that entered the archive since, with the same story once', async () => {
    setClock('2026-11-20T22:00:00Z');
    await addArticles({
      'flood-a.md': md(
        'Flood waters rise in Millbrook river town',
        'The Courier',
        '2026-11-20',
        'Flood waters rose through the river town of Millbrook overnight, forcing hundreds from their homes.',
      ),
      'flood-b.md': md(
        'Millbrook river town floods as waters rise',
        'Gazette',
        '2026-11-20',
        'Flood waters rose through the river town of Millbrook overnight, forcing hundreds from their homes. Boats helped.',
      ),
      'library.md': md(
        'School opens a new library',
        'The Courier',
        '2026-11-19',
        'The primary school opened a new library with four thousand books on Monday.',
      ),
    });
    setClock('2026-11-21T07:59:00Z'); // 08:59 in Paris
    assert.deepEqual(await h.bot.ctx.digests.scheduler.runDue(), []);
    assert.equal(channelMessages().length, 0);
    setClock('2026-11-21T08:00:20Z'); // 09:00 in Paris
    const [outcome] = await h.bot.ctx.digests.scheduler.runDue();
    assert.equal(outcome?.status, 'posted');
    const [post] = channelMessages();
    assert.ok(post);
    assert.match(
      post.content,
      /^\*\*Clipdesk digest\*\*: 2 new stories since 20 Nov 2026, 21:00 \(Europe\/Paris\)\./,
    );
    const embeds = post.embeds as Array<{ title: string; description: string }>;
    assert.deepEqual(
      embeds.map((e) => e.title),
      ['Flood waters rise in Millbrook river town', 'School opens a new library'],
    );
    assert.match(
      embeds[0]?.description ?? '',
      /^> Flood waters rose through the river town of Millbrook overnight, forcing hundreds from their homes\.\n\*\*Also in:\*\* Gazette$/,
    );
    assert.deepEqual(post.allowedMentions, { parse: [] });
  });

  it('never posts the same period twice, and shows the result in /digest list', async () => {
    assert.deepEqual(
      await Promise.all([h.bot.ctx.digests.scheduler.runDue(), h.bot.ctx.digests.scheduler.runDue()]),
      [[], []],
    );
    assert.equal(channelMessages().length, 1);
    const list = await h.discord
      .sendCommand({ name: 'digest', options: [{ name: 'list', type: 1 }], memberPermissions: MANAGER })
      .waitForFinalReply();
    const field = (list.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields.find((f) =>
      f.name.startsWith(id),
    );
    assert.match(field?.value ?? '', /Next: 22 Nov 2026, 09:00 \(Europe\/Paris\)/);
    assert.match(field?.value ?? '', /Last: 21 Nov 2026, 09:00 \(Europe\/Paris\): posted 2 stories/);
  });

  it('previews privately without recording, and posts on demand with /digest now', async () => {
    setClock('2026-11-21T10:00:00Z');
    await addArticles({
      'harbour.md': md(
        'Harbour reopens after repairs',
        'Gazette',
        '2026-11-21',
        'The harbour reopened on Saturday after two months of repairs.',
      ),
    });
    setClock('2026-11-21T11:00:00Z');
    const before = structuredClone(h.bot.ctx.digests.store.get(id));
    const preview = await digestCommand('preview', id).waitForFinalReply();
    assert.equal(preview.ephemeral, true);
    assert.match(preview.content, /Preview: not posted/);
    assert.deepEqual(
      (preview.embeds as Array<{ title: string }>).map((e) => e.title),
      ['Harbour reopens after repairs'],
    );
    assert.deepEqual(h.bot.ctx.digests.store.get(id), before, 'nothing recorded');
    assert.equal(channelMessages().length, 1);

    const now = await digestCommand('now', id).waitForFinalReply();
    assert.match(now.content, /Posted `d[0-9a-f]{8}` to <#\d+>: 1 story\./);
    assert.equal(channelMessages().length, 2);
    const again = await digestCommand('now', id).waitForFinalReply();
    assert.match(again.content, /Nothing new .* nothing was posted/);
    assert.equal(channelMessages().length, 2);
  });

  it('catches up once after a restart that missed several days', async () => {
    await h.restart();
    setClock('2026-11-24T15:00:00Z'); // the 22nd, 23rd and 24th at 09:00 were missed
    const outcomes = await h.bot.ctx.digests.scheduler.runDue();
    assert.deepEqual(
      outcomes.map((o) => [o.id, o.period, o.status]),
      [[id, '2026-11-24T08:00:00.000Z', 'empty']],
    );
    assert.deepEqual(await h.bot.ctx.digests.scheduler.runDue(), []);
    assert.equal(channelMessages().length, 2, 'nothing new: nothing posted');
  });

  it('unsubscribes', async () => {
    const reply = await digestCommand('unsubscribe', id).waitForFinalReply();
    assert.match(reply.content, /Unsubscribed/);
    assert.equal(h.bot.ctx.digests.store.get(id), undefined);
  });
});

describe('topics, DMs, permissions, limits and failures', () => {
  it('keeps a topic digest to the articles about the topic', async () => {
    const { id } = await subscribe([
      str('schedule', 'daily 12:00'),
      str('timezone', 'UTC'),
      str('topic', 'solar panels heating homes'),
    ]);
    setClock('2026-11-25T09:00:00Z');
    await addArticles({
      'solar.md': md(
        'Solar heating reaches Nagqu villages',
        'Gazette',
        '2026-11-25',
        'More villages in Nagqu now heat their homes with solar panels, the county said. Winters there are long.',
      ),
      'budget.md': md(
        'Council passes the budget',
        'The Courier',
        '2026-11-25',
        'The council passed the budget for roads and schools on Tuesday.',
      ),
    });
    setClock('2026-11-25T12:00:05Z');
    const before = channelMessages().length;
    await h.bot.ctx.digests.scheduler.runDue();
    const post = channelMessages()[before] as RecordedMessage;
    assert.deepEqual(
      (post.embeds as Array<{ title: string }>).map((e) => e.title),
      ['Solar heating reaches Nagqu villages'],
    );
    assert.match(
      (post.embeds[0] as { description: string }).description,
      /^> More villages in Nagqu now heat their homes with solar panels, the county said\.$/,
    );
    await digestCommand('unsubscribe', id as string).waitForFinalReply();
  });

  it('sends a DM digest to that person only, set up in a DM by anyone', async () => {
    const { reply, id } = await subscribe(
      [str('schedule', 'weekly thursday 08:00'), str('timezone', 'UTC')],
      { guildId: null, userIdx: 1, memberPermissions: '0' },
    );
    assert.match(reply.content, /to direct messages to <@\d+>/);
    setClock('2026-11-26T07:00:00Z');
    await addArticles({
      'museum.md': md(
        'Museum opens new wing',
        'Gazette',
        '2026-11-26',
        'The city museum opened a new wing for maritime history.',
      ),
    });
    const channelBefore = channelMessages().length;
    setClock('2026-11-26T08:00:10Z');
    await h.bot.ctx.digests.scheduler.runDue();
    const dm = h.discord.dmChannelOf(h.discord.user(1).id);
    assert.ok(dm);
    const posts = h.discord.messages(dm).filter((m) => !m.interactionId);
    assert.equal(posts.length, 1);
    assert.deepEqual(
      ((posts[0]?.embeds ?? []) as Array<{ title: string }>).map((e) => e.title),
      ['Museum opens new wing'],
    );
    assert.equal(channelMessages().length, channelBefore, 'nothing in the channel');
    assert.equal(h.discord.dmChannelOf(h.discord.user(0).id) === dm, false);
    const list = await h.discord
      .sendCommand({ name: 'digest', options: [{ name: 'list', type: 1 }], guildId: null, userIdx: 1 })
      .waitForFinalReply();
    assert.match(
      (list.embeds[0] as { fields: Array<{ name: string }> }).fields[0]?.name ?? '',
      new RegExp(`^${id}`),
    );
    await digestCommand('unsubscribe', id as string, { guildId: null, userIdx: 1 }).waitForFinalReply();
  });

  it('refuses a channel digest to a member without Manage Server, pointing to target: me', async () => {
    const { reply, id } = await subscribe([str('schedule', 'daily 09:00')], {
      userIdx: 2,
      memberPermissions: '0',
    });
    assert.equal(id, undefined);
    assert.match(reply.content, /need the Manage Server permission.*`target: me`/s);
  });

  it('lets only Manage Server post, preview, resume or remove a channel digest, whatever the command definition says', async () => {
    const { id } = await subscribe([
      str('schedule', 'daily 10:00'),
      str('timezone', 'UTC'),
      bool('post_empty', true),
    ]);
    assert.ok(id);
    const before = channelMessages().length;
    for (const action of ['now', 'preview', 'resume', 'unsubscribe']) {
      const reply = await h.discord
        .sendCommand({
          name: 'digest',
          options: [{ name: action, type: 1, options: [str('id', id)] as never[] }],
          userIdx: 2,
          memberPermissions: '0',
        })
        .waitForFinalReply();
      assert.equal(reply.ephemeral, true, action);
      assert.match(reply.content, /needs the Manage Server permission in this server/, action);
    }
    assert.equal(channelMessages().length, before, 'nothing posted');
    assert.ok(h.bot.ctx.digests.store.get(id), 'still subscribed');
    const list = await h.discord
      .sendCommand({
        name: 'digest',
        options: [{ name: 'list', type: 1 }],
        userIdx: 2,
        memberPermissions: '0',
      })
      .waitForFinalReply();
    assert.ok(
      (list.embeds[0] as { fields: Array<{ name: string }> }).fields.some((f) => f.name.startsWith(id)),
      'a member may see the list',
    );
    await digestCommand('unsubscribe', id).waitForFinalReply();
  });

  it('refuses /reindex to a member without Manage Server and in a DM', async () => {
    const ingestsBefore = h.bot.ctx.search.manifest.lastIngest.finishedAt;
    const member = await h.discord
      .sendCommand({ name: 'reindex', userIdx: 2, memberPermissions: '0' })
      .waitForFinalReply();
    assert.match(member.content, /needs the Manage Server permission/);
    const dm = await h.discord
      .sendCommand({ name: 'reindex', guildId: null, userIdx: 2 })
      .waitForFinalReply();
    assert.match(dm.content, /works only in a server/);
    assert.equal(h.bot.ctx.search.manifest.lastIngest.finishedAt, ingestsBefore, 'no ingest ran');
  });

  it('announces news, not the back catalogue: an old article imported today is left out unless everything added is asked for', async () => {
    const news = await subscribe([str('schedule', 'daily 05:00'), str('timezone', 'UTC')]);
    const everything = await subscribe([
      str('schedule', 'daily 05:00'),
      str('timezone', 'UTC'),
      bool('everything_added', true),
    ]);
    assert.match(news.reply.content, /news only/);
    setClock('2026-11-26T20:00:00Z');
    await addArticles({
      'archive-2022.md': md(
        'Harbour crane ordered in 2022',
        'Gazette',
        '2022-05-04',
        'The port ordered a new harbour crane from a Glasgow yard.',
      ),
      'undated.txt': 'Ferry timetable changes\n\nThe island ferry adds a late sailing on Fridays.\n',
      'today.md': md(
        'Lighthouse keeper retires',
        'Herald',
        '2026-11-26',
        'The last lighthouse keeper of Saltmarsh retired after forty years.',
      ),
    });
    setClock('2026-11-27T05:00:05Z');
    const before = channelMessages().length;
    const outcomes = await h.bot.ctx.digests.scheduler.runDue();
    assert.deepEqual(
      outcomes.filter((o) => o.id === news.id || o.id === everything.id).map((o) => o.status),
      ['posted', 'posted'],
    );
    const [newsPost, everythingPost] = channelMessages().slice(before);
    const titles = (m: RecordedMessage | undefined) =>
      ((m?.embeds ?? []) as Array<{ title: string }>).map((e) => e.title);
    assert.deepEqual(titles(newsPost), ['Lighthouse keeper retires', 'Ferry timetable changes']);
    assert.match(newsPost?.content ?? '', /1 older article added to the archive .* is not listed/);
    assert.deepEqual(titles(everythingPost), [
      'Lighthouse keeper retires',
      'Harbour crane ordered in 2022',
      'Ferry timetable changes',
    ]);
    for (const id of [news.id, everything.id])
      await digestCommand('unsubscribe', id as string).waitForFinalReply();
  });

  it('splits a long digest across messages within Discord limits, never cutting a sentence', async () => {
    const { id } = await subscribe([
      str('schedule', 'daily 18:00'),
      str('timezone', 'UTC'),
      int('max_items', 25),
      bool('post_empty', true),
    ]);
    setClock('2026-11-27T10:00:00Z');
    const files: Record<string, string> = {};
    const places =
      'Ashford Brambleton Caldmoor Dunmere Eastwick Fernhill Glenrock Harrowgate Ivybridge Juniper Kestrel Larkspur Mossley Northfleet Oakhurst Pinecrest Quarrybank Ravenscar Saltmarsh Thornbury Upwell Valemont Westerby Yarrow Zennor'.split(
        ' ',
      );
    const subjects =
      'bridge library harbour school orchard railway museum market theatre lighthouse clinic bakery stadium ferry garden brewery mill observatory reservoir chapel quarry pier foundry aviary canal'.split(
        ' ',
      );
    places.forEach((place, i) => {
      const subject = subjects[i] as string;
      const lead = `In ${place}, the ${subject} that residents have argued about for years finally ${i % 2 ? 'reopened' : 'closed'} on ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'][i % 5]}, ${`after ${place} council members debated the future of the ${subject}, its budget, its staff and its visitors, `.repeat(5)}according to the town clerk.`;
      files[`town-${i}.md`] = md(
        `${place} ${subject} ${i % 2 ? 'reopens' : 'closes'}`,
        i % 2 ? 'Gazette' : 'Herald',
        '2026-11-27',
        `${lead} More news follows.`,
      );
    });
    await addArticles(files);
    setClock('2026-11-27T18:00:05Z');
    const before = channelMessages().length;
    const [outcome] = await h.bot.ctx.digests.scheduler.runDue();
    assert.equal(outcome?.status, 'posted');
    const posts = channelMessages().slice(before);
    assert.ok(
      posts.length >= 3,
      `${posts.length} messages: ${JSON.stringify(outcome)} ${posts.map((p) => p.content + p.embeds.length).join('|')}`,
    );
    const embeds = posts.flatMap(
      (p) => p.embeds as Array<{ title: string; description: string; author: { name: string } }>,
    );
    assert.equal(embeds.length, 25);
    for (const p of posts) {
      const list = p.embeds as Array<{ title: string; description: string; author: { name: string } }>;
      assert.ok(list.length <= 10);
      assert.ok(
        list.reduce((n, e) => n + e.title.length + e.description.length + e.author.name.length, 0) <= 6000,
      );
      assert.ok(p.content.length <= 2000);
    }
    for (const e of embeds)
      assert.match(
        e.description,
        /^> In \w+, the \w+ that residents .* according to the town clerk\.$/,
        'whole sentences',
      );
    assert.match(posts[1]?.content ?? '', /Digest continued \(2\/\d\)/);
    const requests = h.discord.requests.filter((r) => r.method === 'POST' && r.status >= 400);
    assert.deepEqual(requests, [], 'the stand-in accepted every message');
    await digestCommand('unsubscribe', id as string).waitForFinalReply();
  });

  it('a digest whose second message fails is continued from that message, never re-posting the first', async () => {
    setClock('2026-11-27T18:30:00Z');
    const files: Record<string, string> = {};
    for (let i = 0; i < 14; i++) {
      const lead = `In Riverside district ${i}, the ferry pier${' that the harbour board rebuilt over two long winters of storms and repairs,'.repeat(8)} reopened to passengers on Friday.`;
      files[`pier-${i}.md`] = md(
        `Ferry pier ${i} reopens`,
        'Coast Post',
        '2026-11-27',
        `${lead} More follows.`,
      );
    }
    await addArticles(files);
    const { id } = await subscribe([
      str('schedule', 'daily 19:00'),
      str('timezone', 'UTC'),
      int('max_items', 25),
      str('outlet', 'Coast Post'),
    ]);
    setClock('2026-11-27T19:00:05Z');
    const before = channelMessages().length;
    let armed = false;
    // Message 1 lands; then every attempt at message 2 (discord.js tries 4 times) gets a 500.
    const arming = h.discord.waitFor(() => {
      if (!armed && channelMessages().length > before) {
        h.discord.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, times: 4 });
        armed = true;
      }
      return armed || undefined;
    });
    const [failed] = (await h.bot.ctx.digests.scheduler.runDue()).filter((o) => o.id === id);
    await arming;
    assert.equal(failed?.status, 'failed');
    const firstAttempt = channelMessages().slice(before);
    assert.equal(firstAttempt.length, 1, 'message 1 was posted, message 2 was not');
    assert.equal(h.bot.ctx.digests.store.get(id as string)?.delivery?.sent, 1);

    const retried = await digestCommand('now', id as string).waitForFinalReply();
    assert.match(retried.content, /Posted/);
    const posts = channelMessages().slice(before);
    assert.ok(posts.length >= 2);
    assert.match(posts[1]?.content ?? '', /Digest continued \(2\/\d\)/, 'the retry starts at message 2');
    const titles = posts.flatMap((p) => (p.embeds as Array<{ title: string }>).map((e) => e.title));
    assert.equal(titles.length, 14, 'every story once');
    assert.equal(new Set(titles).size, 14, 'none twice');
    await digestCommand('unsubscribe', id as string).waitForFinalReply();
  });

  it('a deleted channel fails cleanly, shows in the list, pauses after three failures and tells the creator by DM', async () => {
    const [general, desk] = h.discord.guild().channels;
    const failing = await subscribe(
      [
        str('schedule', 'daily 06:00'),
        str('timezone', 'UTC'),
        bool('post_empty', true),
        chan('channel', desk?.id as string),
      ],
      { userIdx: 3 },
    );
    const healthy = await subscribe([
      str('schedule', 'daily 06:00'),
      str('timezone', 'UTC'),
      bool('post_empty', true),
      chan('channel', general?.id as string),
    ]);
    const id = failing.id as string;
    h.discord.setChannelMissing(desk?.id as string);
    for (const day of ['28', '29', '30']) {
      setClock(`2026-11-${day}T06:00:10Z`);
      const outcomes = await h.bot.ctx.digests.scheduler.runDue();
      assert.equal(outcomes.find((o) => o.id === id)?.status, 'failed');
      assert.equal(
        outcomes.find((o) => o.id === healthy.id)?.status,
        'posted',
        'the other subscription carries on',
      );
    }
    const s = h.bot.ctx.digests.store.get(id);
    assert.equal(s?.consecutiveFailures, 3);
    assert.equal(s?.paused?.reason, 'the channel no longer exists');
    const dm = h.discord.dmChannelOf(h.discord.user(3).id);
    const notices = dm
      ? h.discord.messages(dm).filter((m) => m.content.includes('is paused after 3 failed runs'))
      : [];
    assert.equal(notices.length, 1, 'the creator was told, once');
    assert.match(notices[0]?.content ?? '', /the channel no longer exists.*\/digest resume id:/s);
    const list = await h.discord
      .sendCommand({ name: 'digest', options: [{ name: 'list', type: 1 }], memberPermissions: MANAGER })
      .waitForFinalReply();
    const field = (list.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields.find((f) =>
      f.name.startsWith(id),
    );
    assert.match(field?.value ?? '', /\*\*Paused\*\* since .*the channel no longer exists/);
    assert.match(field?.value ?? '', /\*\*failed\*\*: the channel no longer exists \(3 in a row\)/);
    setClock('2026-12-01T06:00:10Z');
    assert.ok(
      !(await h.bot.ctx.digests.scheduler.runDue()).some((o) => o.id === id),
      'a paused subscription does not run',
    );
    const resumed = await digestCommand('resume', id).waitForFinalReply();
    assert.match(resumed.content, /Resumed .* Next run: 2 Dec 2026, 06:00 \(UTC\)/);
    await digestCommand('unsubscribe', id).waitForFinalReply();
    await digestCommand('unsubscribe', healthy.id as string).waitForFinalReply();
  });

  it('a channel where the bot lost permission fails with that reason', async () => {
    const locked = h.discord.guild().channels[2]?.id as string;
    const { id } = await subscribe([
      str('schedule', 'daily 07:00'),
      str('timezone', 'UTC'),
      bool('post_empty', true),
      chan('channel', locked),
    ]);
    h.discord.denyChannel(locked);
    setClock('2026-12-02T07:00:05Z');
    const outcome = (await h.bot.ctx.digests.scheduler.runDue()).find((o) => o.id === id);
    assert.equal(outcome?.status, 'failed');
    assert.equal(
      outcome?.error,
      'the bot may not post there (it needs View Channel, Send Messages and Embed Links)',
    );
    assert.equal(h.bot.ctx.digests.store.get(id as string)?.lastRun?.status, 'failed');
  });
  it('posts at 09:00 Berlin time on both sides of the spring DST change', async () => {
    setClock('2027-03-26T12:00:00Z'); // subscribed the day before the change
    const { id } = await subscribe([
      str('schedule', 'daily 09:00'),
      str('timezone', 'Europe/Berlin'),
      bool('post_empty', true),
    ]);
    const before = channelMessages().length;
    const fired: string[] = [];
    for (const at of [
      '2027-03-27T07:59:00Z',
      '2027-03-27T08:00:05Z',
      '2027-03-28T06:59:00Z',
      '2027-03-28T07:00:05Z',
    ]) {
      setClock(at); // 08:59 CET, 09:00 CET, 08:59 CEST, 09:00 CEST
      for (const o of await h.bot.ctx.digests.scheduler.runDue())
        if (o.id === id) fired.push(`${at} ${o.period}`);
    }
    assert.deepEqual(fired, [
      '2027-03-27T08:00:05Z 2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:05Z 2027-03-28T07:00:00.000Z',
    ]);
    const posts = channelMessages().slice(before);
    assert.equal(posts.length, 2);
    assert.ok(posts.every((p) => /nothing new in the archive since/.test(p.content)));
    await digestCommand('unsubscribe', id as string).waitForFinalReply();
  });
});
