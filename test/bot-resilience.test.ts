import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { splitSentences } from '../src/ingest/sentences.js';
import { type BotHarness, int, startHarness, str } from './helpers/bot.js';
import { copyOfShippedCorpus } from './helpers/temp.js';

let h: BotHarness;

before(async () => {
  const corpus = await copyOfShippedCorpus();
  // Ten articles about one subject whose quotes (a short lead sentence and a long one after it) cannot
  // all fit one message in full.
  for (let i = 1; i <= 10; i++) {
    const long = `Over ${i + 2} weeks they logged ${'thickness, temperature, meltwater flow and the movement of crevasses across the upper and lower basins, '.repeat(4)}and sent the records home.`;
    const text = `Report ${i}: the glacier survey team measured the northern glacier. ${long} The camp closed in autumn.`;
    await writeFile(
      path.join(corpus, `glacier-${i}.txt`),
      `Glacier survey ${i}\nSource: Polar Times\n\n${text}\n`,
    );
  }
  h = await startHarness({ corpusDir: corpus });
});
after(() => h.stop());

const ask = (question: string, extra: Array<{ name: string; type: number; value: unknown }> = []) =>
  h.discord.sendCommand({ name: 'ask', options: [str('question', question), ...(extra as never[])] });

describe('limits', () => {
  it('an over-long answer stays within every Discord limit, quotes shortened by whole sentences', async () => {
    const handle = ask('What did the glacier survey team measure on the northern glacier?', [
      int('count', 10),
    ]);
    const reply = await handle.waitForFinalReply();
    assert.deepEqual(handle.rejected, [], 'the stand-in accepted the payload');
    const embeds = reply.embeds as Array<{
      title: string;
      description: string;
      author: { name: string };
      footer: { text: string };
    }>;
    assert.equal(embeds.length, 10);
    const total = embeds.reduce(
      (n, e) => n + e.title.length + e.description.length + e.author.name.length + e.footer.text.length,
      0,
    );
    assert.ok(total <= 6000, `embed total ${total}`);
    assert.ok(reply.content.length <= 2000);
    let shortened = 0;
    for (const e of embeds) {
      assert.ok(e.description.length <= 4096);
      const [quoted, omission, ...rest] = e.description.split('\n');
      assert.deepEqual(rest, []);
      if (omission !== undefined) {
        assert.equal(omission, '[…]', 'the omission mark stands outside the quote');
        shortened++;
      }
      const shown = (quoted ?? '').replace(/^> /, '');
      const meta = h.bot.ctx.search.articles.find((a) => a.title === e.title);
      const [article] = await h.bot.ctx.search.views(meta ? [meta.id] : []);
      assert.ok(article?.body.includes(shown), 'what is shown is verbatim');
      // It ends where a sentence of the article ends: shortened by whole sentences, never mid-word.
      const ends = splitSentences(article?.body ?? '').map((s) => (article?.body ?? '').slice(0, s.end));
      assert.ok(
        ends.some((prefix) => prefix.endsWith(shown)),
        `ends at a sentence end: …${shown.slice(-40)}`,
      );
    }
    assert.ok(shortened > 0, 'some quotes had to be shortened');
  });
});

describe('failures', () => {
  it('the gateway drops mid-session and the next question is still answered', async () => {
    const resumesBefore = h.discord.resumes;
    h.discord.closeGateway();
    const handle = ask('How many orphans were supported?');
    const reply = await handle.waitForFinalReply(15_000);
    assert.match((reply.embeds[0] as { description: string }).description, /10,000 orphans/);
    assert.equal(h.discord.resumes, resumesBefore + 1, 'the client resumed its session');
  });

  it('a 429 with retry-after on the reply is waited out, and the reply lands', async () => {
    h.discord.failNext({
      method: 'PATCH',
      path: /\/messages\/@original$/,
      status: 429,
      retryAfterSeconds: 0.2,
    });
    const handle = ask('How many heart patients were treated for free?');
    const reply = await handle.waitForFinalReply(15_000);
    assert.match((reply.embeds[0] as { description: string }).description, /8,300 patients/);
    assert.ok(h.discord.requests.some((r) => r.method === 'PATCH' && r.status === 429));
  });

  it('a 500 on the reply is retried, and the reply lands', async () => {
    h.discord.failNext({ method: 'PATCH', path: /\/messages\/@original$/, status: 500 });
    const handle = ask('How much money did the assistance bring in during 2023?');
    const reply = await handle.waitForFinalReply(15_000);
    assert.match((reply.embeds[0] as { description: string }).description, /25\.17 billion yuan/);
    assert.ok(h.discord.requests.some((r) => r.method === 'PATCH' && r.status === 500));
  });

  it('an interaction that expired before the bot answered is logged, and the bot carries on', async () => {
    const late = ask('How many orphans were supported?');
    h.advance(4000); // Discord's 3 seconds pass before the bot's deferral arrives
    await h.discord.waitFor(() => (late.rejected.length > 0 ? true : undefined));
    assert.equal(late.rejected[0]?.code, 10062);
    const next = await ask('How many orphans were supported?').waitForFinalReply();
    assert.ok(next.embeds.length > 0);
  });

  it('an unexpected error gets a short private apology with an error id; the next question works', async () => {
    const search = h.bot.ctx.search;
    const original = search.search.bind(search);
    search.search = async () => {
      throw new Error('disk on fire');
    };
    try {
      const handle = ask('How many orphans were supported?');
      await h.discord.waitFor(() => handle.followUps().find((m) => m.ephemeral));
      const apology = handle.followUps().find((m) => m.ephemeral);
      assert.match(
        apology?.content ?? '',
        /^Sorry, something went wrong on our side\. .*error id: `[0-9a-f]{8}`/,
      );
      assert.ok(!(apology?.content ?? '').includes('disk on fire'), 'no internals in Discord');
      assert.equal(handle.original()?.deleted, true, 'the public "thinking…" was removed');
    } finally {
      search.search = original;
    }
    const next = await ask('How many orphans were supported?').waitForFinalReply();
    assert.ok(next.embeds.length > 0);
  });

  it('buttons keep working after a restart; an answer whose record is gone says so', async () => {
    const answer = await ask('paired-up assistance for Xizang officials', [
      int('count', 1),
    ]).waitForFinalReply();
    const more = (
      answer.components as Array<{ components: Array<{ label: string; custom_id: string }> }>
    )[0]?.components.find((b) => b.label === 'More ▶');
    assert.ok(more);
    await h.restart();
    h.discord.clickButton({ customId: more.custom_id, message: answer });
    await h.discord.waitFor(() =>
      h.discord.message(answer.id)?.content.includes('Articles 2–2 of') ? true : undefined,
    );

    await writeFile(path.join(h.config.dataDir, 'answers.jsonl'), '');
    await h.restart();
    const page2 = h.discord.message(answer.id);
    assert.ok(page2);
    const back = (
      page2.components as Array<{ components: Array<{ label: string; custom_id: string }> }>
    )[0]?.components.find((b) => b.label === '◀ Back');
    assert.ok(back);
    const click = h.discord.clickButton({ customId: back.custom_id, message: page2 });
    const reply = await click.waitForFinalReply();
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /This button has expired/);
    const next = await ask('How many orphans were supported?').waitForFinalReply();
    assert.ok(next.embeds.length > 0);
  });
});
