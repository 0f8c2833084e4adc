import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import { deployCommands } from '../src/discord/deploy.js';
import type { FeedbackRecord } from '../src/discord/feedback-store.js';
import { type BotHarness, bool, int, startHarness, str } from './helpers/bot.js';
import { copyOfShippedCorpus } from './helpers/temp.js';

let h: BotHarness;

before(async () => {
  const corpus = await copyOfShippedCorpus();
  // Twelve more dated articles from two more outlets, so that /sources has two pages.
  for (let i = 1; i <= 12; i++) {
    await writeFile(
      path.join(corpus, `brief-${String(i).padStart(2, '0')}.md`),
      `---\ntitle: Harbour brief ${i}\ndate: 2025-02-${String(i).padStart(2, '0')}\noutlet: ${i % 2 ? 'The Courier' : 'Gazette'}\nurl: https://example.org/brief-${i}\n---\nThe harbour authority reported ${i * 10} ships on day ${i} of the storm season.\n`,
    );
  }
  h = await startHarness({ corpusDir: corpus });
});
after(() => h.stop());

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
  m.embeds as Array<{
    title: string;
    url?: string;
    description: string;
    author: { name: string };
    footer: { text: string };
  }>;

describe('/ask', () => {
  it('defers at once, then answers with one embed per article: quote, linked title, outlet, date, relevance', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'How many ships did the harbour authority report?'), int('count', 2)],
    });
    const reply = await handle.waitForFinalReply();
    assert.equal(handle.callbacks[0]?.type, 5, 'the first response is a deferral');
    assert.equal(reply.ephemeral, false);
    assert.deepEqual(reply.allowedMentions, { parse: [] });
    const [first] = embeds(reply);
    assert.ok(first);
    assert.match(first.title, /^Harbour brief \d+$/);
    assert.match(first.url ?? '', /^https:\/\/example\.org\/brief-\d+$/);
    assert.match(first.author.name, /^(The Courier|Gazette) · \d+ Feb 2025$/);
    assert.match(first.description, /^> The harbour authority reported \d+ ships/);
    assert.match(first.footer.text, /match \(\d+%\) · words in common: .*harbour/i);
    assert.doesNotMatch(first.footer.text, /File:/, 'an article with a url is found through its link');
    assert.match(reply.content, /\*\*Question:\*\* How many ships did the harbour authority report\?/);
    assert.equal(handle.rejected.length, 0);
  });

  it('quotes verbatim from the stored article', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [
        str('question', 'What did Xi reply when locals tried to talk him out of visiting Nang County?'),
      ],
    });
    const reply = await handle.waitForFinalReply();
    const text = embeds(reply)[0]?.description ?? '';
    assert.match(text, /> "Anyone but me has the right to flinch," Xi insisted\./);
    const meta = h.bot.ctx.search.articles.find((a) => a.source.startsWith('002_'));
    const [article] = await h.bot.ctx.search.views(meta ? [meta.id] : []);
    // Every quoted line, unescaped, is part of the article body.
    for (const line of text.split('\n').filter((l) => l.startsWith('> '))) {
      assert.ok(article?.body.includes(line.slice(2).replace(/\\(.)/g, '$1')), line);
    }
  });

  it('applies outlet, since and until, and says so', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [
        str('question', 'ships reported by the harbour authority'),
        str('outlet', 'gazette'),
        str('since', '2025-02-04'),
        str('until', '2025-02-08'),
        int('count', 10),
      ],
    });
    const reply = await handle.waitForFinalReply();
    const found = embeds(reply);
    assert.deepEqual(found.map((e) => e.title).sort(), [
      'Harbour brief 4',
      'Harbour brief 6',
      'Harbour brief 8',
    ]);
    assert.ok(found.every((e) => e.author.name.startsWith('Gazette')));
    assert.match(reply.content, /Only outlet Gazette, since 2025-02-04, until 2025-02-08/);
  });

  it('refuses a bad filter at once and privately, with what to do', async () => {
    const date = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'ships'), str('since', '4 Feb')],
    });
    const reply = await date.waitForFinalReply();
    assert.equal(date.callbacks[0]?.type, 4, 'an immediate reply, not a deferral');
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /`since` must be a date written as YYYY-MM-DD/);
    const outlet = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'ships'), str('outlet', 'Daily Planet')],
    });
    assert.match(
      (await outlet.waitForFinalReply()).content,
      /No article in the archive is from the outlet "Daily Planet"\. Closest outlets: .+\. Pick an outlet from the list/,
    );
  });

  it('shows where an article without a url lives: its corpus file, in the footer', async () => {
    const reply = await h.discord
      .sendCommand({
        name: 'ask',
        options: [
          str('question', 'What did Xi reply when locals tried to talk him out of visiting Nang County?'),
          int('count', 1),
        ],
      })
      .waitForFinalReply();
    const [first] = embeds(reply);
    assert.equal(first?.url, undefined);
    assert.match(first?.footer.text ?? '', /match \(\d+%\) · .*\nFile: 002_35826060f10723de\.txt$/);
  });

  it('says plainly when the archive does not cover the question, and suggests /sources', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'What is the recipe for chocolate chip cookies?')],
    });
    const reply = await handle.waitForFinalReply();
    assert.deepEqual(reply.embeds, []);
    assert.match(
      reply.content,
      /Nothing in the archive answers \*\*What is the recipe for chocolate chip cookies\?\*\*/,
    );
    assert.match(reply.content, /`\/sources`/);
  });

  it('pages with More and Back on the same message', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'harbour ships storm season'), int('count', 2)],
    });
    const page1 = await handle.waitForFinalReply();
    assert.match(page1.content, /Articles 1–2 of \d+/);
    const firstTitles = embeds(page1).map((e) => e.title);
    const click = h.discord.clickButton({ customId: button(page1, 'More ▶'), message: page1 });
    await h.discord.waitFor(() =>
      h.discord.message(page1.id)?.content.includes('Articles 3–4') ? true : undefined,
    );
    assert.equal(click.callbacks[0]?.type, 6, 'deferred update of the same message');
    const page2 = h.discord.message(page1.id) as RecordedMessage;
    const secondTitles = embeds(page2).map((e) => e.title);
    assert.equal(secondTitles.length, 2);
    assert.ok(
      secondTitles.every((t) => !firstTitles.includes(t)),
      'no article repeats across pages',
    );
    h.discord.clickButton({ customId: button(page2, '◀ Back'), message: page2 });
    await h.discord.waitFor(() =>
      h.discord.message(page1.id)?.content.includes('Articles 1–2') ? true : undefined,
    );
    assert.deepEqual(
      embeds(h.discord.message(page1.id) as RecordedMessage).map((e) => e.title),
      firstTitles,
    );
  });

  it('answers privately when asked, with a Share button that posts the same answer to the channel', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'How many orphans were supported?'), bool('private', true)],
      userIdx: 1,
    });
    const reply = await handle.waitForFinalReply();
    assert.equal(reply.ephemeral, true);
    const share = h.discord.clickButton({ customId: button(reply, 'Share'), message: reply, userIdx: 1 });
    const shared = await share.waitForFinalReply();
    assert.equal(shared.ephemeral, false);
    assert.equal(shared.channelId, reply.channelId);
    assert.deepEqual(
      embeds(shared).map((e) => e.description),
      embeds(reply).map((e) => e.description),
    );
    assert.match(shared.content, new RegExp(`^Shared by <@${h.discord.user(1).id}>`));
    assert.deepEqual(shared.mentionedUserIds, [], 'showing who shared it pings nobody');
    assert.ok(!buttons(shared).some((b) => b.label === 'Share'));
  });

  it('lets only the asker share a private answer, and names the asker whoever the id names', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'How many orphans were supported?'), bool('private', true)],
      userIdx: 2,
    });
    const reply = await handle.waitForFinalReply();
    const publicBefore = h.discord.messages(reply.channelId).filter((m) => !m.ephemeral).length;
    // Someone else clicks a copy of the Share button (a copied custom id, as a self-bot could send it).
    const stolen = await h.discord
      .clickButton({ customId: button(reply, 'Share'), message: reply, userIdx: 3 })
      .waitForFinalReply();
    assert.equal(stolen.ephemeral, true);
    assert.match(stolen.content, /Only the person who asked can share this answer/);
    assert.equal(
      h.discord.messages(reply.channelId).filter((m) => !m.ephemeral).length,
      publicBefore,
      'nothing was posted publicly',
    );
    // The asker can, and is the one named.
    const shared = await h.discord
      .clickButton({ customId: button(reply, 'Share'), message: reply, userIdx: 2 })
      .waitForFinalReply();
    assert.match(shared.content, new RegExp(`^Shared by <@${h.discord.user(2).id}>`));
  });

  it('lets only the asker page an answer', async () => {
    const reply = await h.discord
      .sendCommand({ name: 'ask', options: [str('question', 'harbour ships storm season'), int('count', 2)] })
      .waitForFinalReply();
    const refused = await h.discord
      .clickButton({ customId: button(reply, 'More ▶'), message: reply, userIdx: 1 })
      .waitForFinalReply();
    assert.equal(refused.ephemeral, true);
    assert.match(refused.content, /Only the person who asked can page through this answer/);
    assert.match(h.discord.message(reply.id)?.content ?? '', /Articles 1–2/, 'the answer did not move');
  });

  it('answers a malformed, unknown or out-of-range button privately with "this button has expired"', async () => {
    const reply = await h.discord
      .sendCommand({ name: 'ask', options: [str('question', 'harbour ships storm season'), int('count', 2)] })
      .waitForFinalReply();
    const answerId = /^ask:page:([\w-]+):1$/.exec(button(reply, 'More ▶'))?.[1] as string;
    assert.ok(answerId);
    // Buttons as an older or tampered version of the bot might have left them on its own message.
    const forged = [
      `ask:page:${answerId}:99`,
      `ask:page:${answerId}:1e2`,
      'ask:page:nosuchanswer:1',
      `ask:share:${answerId}:0:123456789012345678`,
      'ask:explode',
      'gone:1',
    ];
    await h.bot.client.rest.patch(Routes.channelMessage(reply.channelId, reply.id), {
      body: {
        components: [
          {
            type: 1,
            components: forged
              .slice(0, 5)
              .map((custom_id, i) => ({ type: 2, style: 2, label: `b${i}`, custom_id })),
          },
          {
            type: 1,
            components: forged.slice(5).map((custom_id) => ({ type: 2, style: 2, label: 'x', custom_id })),
          },
        ],
      },
    });
    const message = h.discord.message(reply.id) as RecordedMessage;
    for (const customId of forged) {
      const click = h.discord.clickButton({ customId, message });
      const told = await h.discord.waitFor(
        () => [click.original(), ...click.followUps()].find((m) => m?.ephemeral && /expired/.test(m.content)),
        5000,
        `a private "expired" answer to ${customId}`,
      );
      assert.match(told.content, /^This button has expired\./, customId);
    }
    assert.match(h.discord.message(reply.id)?.content ?? '', /Articles 1–2/, 'the answer is untouched');
  });

  it('records 👍 / 👎 with the question, the articles shown, the vote and the time', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'How many heart patients were treated for free?')],
    });
    const reply = await handle.waitForFinalReply();
    const vote = h.discord.clickButton({ customId: button(reply, '👎'), message: reply });
    const thanks = await vote.waitForFinalReply();
    assert.equal(thanks.ephemeral, true);
    assert.match(thanks.content, /Thanks/);
    const lines = (await readFile(path.join(h.config.dataDir, 'feedback.jsonl'), 'utf8')).trim().split('\n');
    const record = JSON.parse(lines.at(-1) as string) as FeedbackRecord;
    assert.equal(record.question, 'How many heart patients were treated for free?');
    assert.equal(record.vote, 'down');
    assert.equal(record.at, '2026-11-20T09:00:00.000Z');
    const shown = h.bot.ctx.search.articles.find((a) => a.title === embeds(reply)[0]?.title);
    assert.equal(record.resultIds[0], shown?.id);
  });

  it('autocompletes outlets from the archive', async () => {
    const handle = h.discord.sendAutocomplete({
      name: 'ask',
      options: [str('question', 'ships'), str('outlet', 'co', true)],
    });
    await h.discord.waitFor(() => handle.autocompleteChoices());
    assert.deepEqual(handle.autocompleteChoices(), [
      { name: 'The Courier (6 articles)', value: 'The Courier' },
    ]);
    const all = h.discord.sendAutocomplete({ name: 'ask', options: [str('outlet', '', true)] });
    await h.discord.waitFor(() => all.autocompleteChoices());
    assert.deepEqual(
      all.autocompleteChoices()?.map((c) => c.value),
      ['Gazette', 'The Courier', 'Xinhua', 'Zhejiang Online'],
    );
  });
});

describe('/sources, /status, /help', () => {
  it('lists the archive newest first, privately, and pages with buttons', async () => {
    const handle = h.discord.sendCommand({ name: 'sources' });
    const page1 = await handle.waitForFinalReply();
    assert.equal(page1.ephemeral, true, 'only the asker sees it by default');
    const [embed] = embeds(page1);
    assert.equal(embed?.title, 'Archive: 17 articles');
    assert.match(
      embed?.description ?? '',
      /^\*\*1\.\*\* China's top political advisor urges sustained pairing assistance to Xinjiang — Xinhua · 10 Jul 2025 · file: 001\\_6d679d00b5a46ec6\.txt\n/,
      'an article without a url shows its file',
    );
    assert.match(
      embed?.description ?? '',
      /\n\*\*2\.\*\* Harbour brief 12 — Gazette · 12 Feb 2025 · \[link\]\(https:\/\/example\.org\/brief-12\)\n/,
    );
    assert.match(embed?.footer.text ?? '', /Page 1 of 2/);
    h.discord.clickButton({ customId: button(page1, '▶'), message: page1 });
    await h.discord.waitFor(() =>
      (embeds(h.discord.message(page1.id) as RecordedMessage)[0]?.footer.text ?? '').includes('Page 2 of 2')
        ? true
        : undefined,
    );
    const page2 = embeds(h.discord.message(page1.id) as RecordedMessage)[0]?.description ?? '';
    assert.match(page2, /\*\*11\.\*\*/);
    assert.match(
      page2,
      /30 years of support for development — outlet not recorded · undated/,
      'undated articles come last',
    );
    const filtered = await h.discord
      .sendCommand({ name: 'sources', options: [str('outlet', 'xinhua')] })
      .waitForFinalReply();
    assert.equal(embeds(filtered)[0]?.title, 'Archive: 3 articles from Xinhua');
    const shown = await h.discord
      .sendCommand({ name: 'sources', options: [bool('public', true)] })
      .waitForFinalReply();
    assert.equal(shown.ephemeral, false, 'public: true posts it for the channel');
    assert.equal(embeds(shown)[0]?.title, 'Archive: 17 articles');
  });

  it('reports articles, passages, outlets, dates, model, last ingest, uptime and version', async () => {
    h.advance(3 * 3600 * 1000 + 5 * 60 * 1000);
    const reply = await h.discord.sendCommand({ name: 'status' }).waitForFinalReply();
    assert.equal(reply.ephemeral, true, 'only the asker sees it by default');
    const shown = await h.discord
      .sendCommand({ name: 'status', options: [bool('public', true)] })
      .waitForFinalReply();
    assert.equal(shown.ephemeral, false, 'public: true posts it for the channel');
    const fields = Object.fromEntries(
      (reply.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields.map((f) => [
        f.name,
        f.value,
      ]),
    );
    assert.equal(fields.Articles, '17');
    assert.match(fields.Passages ?? '', /^\d+$/);
    assert.match(fields.Outlets ?? '', /^4: /);
    assert.match(fields.Dates ?? '', /15 Mar 2022 to 10 Jul 2025 \(1 undated\)/);
    assert.match(fields.Model ?? '', /use-static-128 \(fp32, 128 dimensions\)/);
    assert.match(fields.Index ?? '', /^vectra · \d+ segments?$/);
    assert.match(fields['Last ingest'] ?? '', /added 17/);
    assert.equal(fields.Uptime, '3 h 5 min');
    assert.match(fields.Version ?? '', /^\d+\.\d+\.\d+$/);
  });

  it('explains itself privately with /help', async () => {
    const reply = await h.discord.sendCommand({ name: 'help' }).waitForFinalReply();
    assert.equal(reply.ephemeral, true);
    assert.match((reply.embeds[0] as { description: string }).description, /verbatim quotes/);
  });
});

describe('/reindex and deployment', () => {
  it('deploys every command, /reindex limited to Manage Server by default', async () => {
    const { deployed } = await deployCommands(h.config, commands);
    assert.deepEqual(deployed.map((c) => c.name).sort(), [
      'add',
      'ask',
      'digest',
      'feeds',
      'help',
      'quotes',
      'reindex',
      'scope',
      'sources',
      'status',
    ]);
    assert.ok(deployed.every((c) => /^\d+$/.test(c.id)));
    const reindex = h.discord.commands().find((c) => c.name === 'reindex');
    assert.equal(reindex?.default_member_permissions, '32');
    assert.deepEqual(reindex?.contexts, [0]);
    const guildDeploy = await deployCommands({ ...h.config, discordGuildId: h.discord.guild().id }, commands);
    assert.equal(guildDeploy.deployed.length, 10);
    assert.equal(h.discord.commands(h.discord.guild().id).length, 10);
  });

  it('runs an incremental ingest and reports it; the next question sees the new article', async () => {
    await writeFile(
      path.join(h.corpusDir, 'lighthouse.txt'),
      'Lighthouse keeper retires\n\nThe lighthouse keeper of Harbour Point retired after forty years of service.\n',
    );
    await writeFile(path.join(h.corpusDir, 'broken.json'), '{"title": ');
    const handle = h.discord.sendCommand({ name: 'reindex', memberPermissions: '32' });
    const reply = await handle.waitForFinalReply(20_000);
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /\*\*Index updated\*\*/);
    assert.match(reply.content, /Added 1 · updated 0 · unchanged 17 · removed 0 · skipped 1/);
    assert.match(reply.content, /skipped `broken\.json`: malformed JSON/);
    const answer = await h.discord
      .sendCommand({ name: 'ask', options: [str('question', 'Who retired from Harbour Point lighthouse?')] })
      .waitForFinalReply();
    assert.equal(embeds(answer)[0]?.title, 'Lighthouse keeper retires');
  });
});
