import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordedMessage } from '../playground/discord-standin/types.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';
import { tempDir } from './helpers/temp.js';

let h: BotHarness;

/** Made-up articles: a mayor quoted in four, a councillor in one, a name mentioned but never quoted. */
before(async () => {
  const corpus = await tempDir('clipdesk-quotes-corpus-');
  const topics = ['the harbour wall', 'the new tram line', 'school meals', 'the harbour lights'];
  for (let i = 0; i < topics.length; i++) {
    await writeFile(
      path.join(corpus, `mayor-${i + 1}.md`),
      `---\ntitle: Mayor on ${topics[i]}\ndate: 2025-03-0${i + 1}\noutlet: ${i % 2 ? 'Gazette' : 'The Courier'}\nurl: https://example.org/mayor-${i + 1}\n---\n` +
        `Mayor Nadia Okafor visited the site on Tuesday with Pieter Vandamme, the city engineer.\n\n` +
        `"We will finish ${topics[i]} before the summer, whatever it costs," Ms Okafor told reporters. "The city deserves it."\n\n` +
        `Pieter Vandamme said the work was on schedule.\n`,
    );
  }
  await writeFile(
    path.join(corpus, 'council.md'),
    `---\ntitle: Council split over budget\ndate: 2025-03-09\noutlet: Gazette\n---\n` +
      `"This budget is a disgrace to @everyone who pays council tax," councillor Tom Birch said on Monday.\n`,
  );
  h = await startHarness({ corpusDir: corpus });
});
after(() => h.stop());

const embeds = (m: RecordedMessage) =>
  m.embeds as Array<{
    title: string;
    url?: string;
    description: string;
    author: { name: string };
    footer: { text: string };
  }>;
const buttons = (m: RecordedMessage) =>
  (m.components as Array<{ components: Array<{ custom_id?: string; label?: string }> }>).flatMap(
    (row) => row.components,
  );

describe('/quotes', () => {
  it('shows a speaker’s quotations verbatim, newest first, with who said it, the cue, title, outlet, date and link', async () => {
    const handle = h.discord.sendCommand({ name: 'quotes', options: [str('speaker', 'okafor')] });
    const reply = await handle.waitForFinalReply();
    assert.equal(handle.callbacks[0]?.type, 5, 'deferred first');
    assert.deepEqual(reply.allowedMentions, { parse: [] });
    assert.match(reply.content, /\*\*Quotations:\*\* okafor/);
    // Eight quotations, but "The city deserves it." is the same words in four articles: shown once.
    assert.match(reply.content, /Quotations 1–3 of 5/);
    const [first] = embeds(reply);
    assert.ok(first);
    assert.equal(first.title, 'Mayor on the harbour lights');
    assert.equal(first.url, 'https://example.org/mayor-4');
    assert.equal(first.author.name, 'Gazette · 4 Mar 2025');
    assert.match(
      first.description,
      /^> We will finish the harbour lights before the summer, whatever it costs,$/,
    );
    assert.match(first.footer.text, /^Nadia Okafor · as written: Ms Okafor · told$/);
    // Every quotation shown is a verbatim part of its stored article.
    for (const e of embeds(reply)) {
      const meta = h.bot.ctx.search.articles.find((a) => a.title === e.title);
      const [view] = await h.bot.ctx.search.views(meta ? [meta.id] : []);
      assert.ok(view?.body.includes(e.description.replace(/^> /, '')));
    }
    // Paged with /ask's buttons.
    const more = buttons(reply).find((b) => b.label === 'More ▶');
    assert.ok(more?.custom_id);
    h.discord.clickButton({ customId: more.custom_id, message: reply });
    await h.discord.waitFor(() =>
      h.discord.message(reply.id)?.content.includes('Quotations 4–5 of 5') ? true : undefined,
    );
  });

  it('ranks by topic with `about`, and filters by outlet', async () => {
    const handle = h.discord.sendCommand({
      name: 'quotes',
      options: [str('speaker', 'Nadia Okafor'), str('about', 'tram line'), str('outlet', 'gazette')],
    });
    const reply = await handle.waitForFinalReply();
    assert.match(embeds(reply)[0]?.description ?? '', /new tram line/);
    assert.ok(embeds(reply).every((e) => e.author.name.startsWith('Gazette')));
  });

  it('answers plainly, and privately, for someone never quoted', async () => {
    const handle = h.discord.sendCommand({ name: 'quotes', options: [str('speaker', 'Pieter Vandamme')] });
    const reply = await handle.waitForFinalReply();
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /^No direct quotations from Pieter Vandamme in the archive\./);
  });

  it('never pings anyone named in a quotation', async () => {
    const handle = h.discord.sendCommand({ name: 'quotes', options: [str('speaker', 'birch')] });
    const reply = await handle.waitForFinalReply();
    assert.deepEqual(reply.allowedMentions, { parse: [] });
    assert.match(embeds(reply)[0]?.description ?? '', /@everyone/);
    assert.match(embeds(reply)[0]?.footer.text ?? '', /^Tom Birch · said/);
  });

  it('autocompletes speakers from the archive', async () => {
    const handle = h.discord.sendAutocomplete({ name: 'quotes', options: [str('speaker', 'oka', true)] });
    await h.discord.waitFor(() => handle.autocompleteChoices());
    assert.deepEqual(handle.autocompleteChoices(), [
      { name: 'Nadia Okafor (8 quotations)', value: 'Nadia Okafor' },
    ]);
  });
});

describe('"what did X say" in /ask and DMs', () => {
  it('answers /ask with the speaker’s quotations', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'What did Tom Birch say about the budget?')],
    });
    const reply = await handle.waitForFinalReply();
    assert.match(reply.content, /\*\*Quotations:\*\* Tom Birch about the budget/);
    assert.match(embeds(reply)[0]?.description ?? '', /This budget is a disgrace/);
  });

  it('says so when the person is never quoted, above the ordinary answer', async () => {
    const handle = h.discord.sendCommand({
      name: 'ask',
      options: [str('question', 'What did Pieter Vandamme say about the schedule?')],
    });
    const reply = await handle.waitForFinalReply();
    assert.match(reply.content, /^No direct quotations from Pieter Vandamme in the archive\./);
  });

  it('answers a DM with the speaker’s quotations', async () => {
    await h.discord.sendDirectMessage({ content: 'what did mr birch say?', userIdx: 1 });
    const reply = await h.discord.waitFor(
      () => {
        const channel = h.discord.dmChannelOf(h.discord.user(1).id);
        return channel ? h.discord.messages(channel).find((m) => !m.deleted) : undefined;
      },
      10_000,
      'a DM reply',
    );
    assert.match(reply.content, /\*\*Quotations:\*\* mr birch/);
    assert.match(embeds(reply)[0]?.description ?? '', /This budget is a disgrace/);
  });
});
