import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Playground, startPlayground } from '../playground/playground.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const QUESTION = 'How many heart patients were treated for free?';
const QUOTE = /8,300 patients with congenital heart disease/;

/** Debian's Chromium (apt-get install -y chromium), or CHROMIUM_PATH. */
const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => Boolean(p && existsSync(p)),
);

interface Shown {
  kind: string;
  id: string;
  ephemeral?: boolean;
  loading?: boolean;
  content?: string;
  embeds?: Array<{ title?: string; description?: string }>;
  components?: Array<{ components: Array<{ label?: string; custom_id?: string }> }>;
}

describe('npm run playground: the real bot (src/index.ts) on the Discord stand-in, and its page', () => {
  let playground: Playground;
  let output = '';
  before(async () => {
    const work = await tempDir('clipdesk-playground-');
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of ['EMBEDDING_MODEL', 'LOG_LEVEL', 'DATA_DIR', 'DISCORD_TOKEN']) delete env[name];
    playground = await startPlayground({
      env: { ...env, CORPUS_DIR: await copyOfShippedCorpus(), INDEX_DIR: path.join(work, 'index') },
      dataDir: path.join(work, 'data'),
      onBotOutput: (chunk) => {
        output += chunk;
      },
    });
  });
  after(async () => {
    await playground?.stop();
  });

  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(new URL(route, playground.url), {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const data = (await res.json()) as Record<string, unknown>;
    assert.ok(res.ok, JSON.stringify(data));
    return data;
  };
  const world = () =>
    api('GET', '/api/world') as Promise<{
      people: Array<{ id: string; admin: boolean }>;
      guild: { channels: Array<{ id: string; name: string; type: number }> };
      commands: Array<{ name: string }>;
      model: string;
    }>;
  const shown = async (user: string, channel: string, check: (m: Shown[]) => boolean) => {
    for (let i = 0; i < 300; i++) {
      const { messages } = (await api('GET', `/api/messages?user=${user}&channel=${channel}`)) as {
        messages: Shown[];
      };
      if (check(messages)) return messages;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`not shown in time; bot output:\n${output.slice(-2000)}`);
  };

  it('runs the bot offline with the shipped model, its commands registered as deploy-commands does', async () => {
    const w = await world();
    assert.equal(w.model, 'test/models/use-static-128');
    assert.deepEqual(w.guild.channels.map((c) => c.type).sort(), [0, 0, 11], 'two channels and a thread');
    for (const name of ['ask', 'sources', 'digest', 'reindex'])
      assert.ok(w.commands.some((c) => c.name === name));
    assert.equal(playground.botEnv.INDEX_DIR?.endsWith('index-use-static-128'), true);
  });

  it('answers a question in the thread, autocompletes an option, answers a DM, and hides ephemeral replies from others', async () => {
    const w = await world();
    const [editor, reporter] = w.people as unknown as [{ id: string }, { id: string }];
    const thread = w.guild.channels.find((c) => c.type === 11)?.id as string;
    await api('POST', '/api/command', {
      user: reporter.id,
      channel: thread,
      name: 'ask',
      options: [{ name: 'question', type: 3, value: QUESTION }],
    });
    const answered = await shown(reporter.id, thread, (m) =>
      m.some((x) => x.kind === 'bot' && !x.loading && QUOTE.test(x.embeds?.[0]?.description ?? '')),
    );
    assert.ok(answered.some((x) => x.kind === 'person' && x.content === undefined));
    const { choices } = (await api('POST', '/api/autocomplete', {
      user: reporter.id,
      channel: thread,
      name: 'digest',
      options: [
        {
          name: 'subscribe',
          type: 1,
          options: [{ name: 'timezone', type: 3, value: 'Europe/Par', focused: true }],
        },
      ],
    })) as { choices: Array<{ value: string }> };
    assert.ok(
      choices.some((c) => c.value === 'Europe/Paris'),
      JSON.stringify(choices),
    );

    await api('POST', '/api/dm', { user: editor.id, content: QUESTION });
    await shown(editor.id, 'dm', (m) =>
      m.some((x) => x.kind === 'bot' && QUOTE.test(x.embeds?.[0]?.description ?? '')),
    );

    // /status is private: the asker sees it, the other person does not.
    const general = w.guild.channels.find((c) => c.name === 'general')?.id as string;
    await api('POST', '/api/command', { user: editor.id, channel: general, name: 'status', options: [] });
    await shown(editor.id, general, (m) => m.some((x) => x.kind === 'bot' && x.ephemeral && !x.loading));
    const others = await shown(reporter.id, general, () => true);
    assert.ok(!others.some((x) => x.kind === 'bot' && x.ephemeral));
  });

  it('shows an instant alert in the channel when an article arrives in the watched corpus folder', async () => {
    const w = await world();
    const editor = w.people.find((p) => p.admin)?.id as string;
    // #general: the browser test below has #desk to itself.
    const channel = w.guild.channels.find((c) => c.name === 'general')?.id as string;
    await api('POST', '/api/command', {
      user: editor,
      channel,
      name: 'digest',
      options: [
        {
          name: 'subscribe',
          type: 1,
          options: [
            { name: 'schedule', type: 3, value: 'instant' },
            { name: 'channel', type: 7, value: channel },
          ],
        },
      ],
    });
    await shown(editor, channel, (m) =>
      m.some((x) => x.kind === 'bot' && !x.loading && /instant|subscri/i.test(JSON.stringify(x))),
    );
    const today = new Date().toISOString().slice(0, 10);
    await writeFile(
      path.join(playground.botEnv.CORPUS_DIR as string, 'harbour.txt'),
      `${today} Harbour reopens after the storm\n\nThe harbour reopened on Monday after the storm closed it for a week. Fishing boats went out at dawn.\n`,
    );
    await shown(editor, channel, (m) =>
      m.some(
        (x) =>
          x.kind === 'bot' && !x.ephemeral && JSON.stringify(x).includes('Harbour reopens after the storm'),
      ),
    );
  });

  it('in headless Chromium: type a question, read the verbatim quote and its source, click a button', {
    skip: chromiumPath
      ? false
      : "no Chromium: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH to run it",
  }, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath as string,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(playground.url);
      await page.getByRole('button', { name: '# desk' }).click();
      const composer = page.locator('#composer-input');
      await composer.fill(QUESTION);
      await composer.press('Enter');
      const answer = page
        .locator('.message.bot')
        .filter({ has: page.locator('blockquote') })
        .last();
      await answer.locator('blockquote').first().waitFor({ timeout: 60_000 });
      const quote = await answer.locator('blockquote').first().innerText();
      assert.match(quote, QUOTE);
      const title = await answer.locator('.embed-title').first().innerText();
      assert.equal(title.trim(), '30 years of support for development');
      assert.match(await answer.locator('.embed').first().innerText(), /003_e9c50f8481d5a253\.txt|undated/);
      // The shown quote is the archive's text, verbatim.
      const { readFile } = await import('node:fs/promises');
      const corpus = playground.botEnv.CORPUS_DIR as string;
      const article = await readFile(path.join(corpus, '003_e9c50f8481d5a253.txt'), 'utf8');
      assert.ok(article.replace(/\s+/g, ' ').includes(quote.replace(/\s+/g, ' ').trim()), quote);

      // 👍 on the answer: the bot's private thanks appears for this person only.
      await answer.getByRole('button', { name: '👍' }).click();
      await page.getByText('Thanks — noted that this answer helped.').waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('.message.bot .only-you').count(), 1);

      // A slash command with an option from the form, as the other person.
      await page.locator('#person').selectOption({ index: 1 });
      await composer.fill('/sources');
      await page.locator('#picker button').first().click();
      await page.locator('#form button[type="submit"]').click();
      // /sources answers privately (to the reporter only): its list names the article.
      await page
        .locator('.message.bot')
        .filter({ has: page.locator('.only-you') })
        .filter({ hasText: '30 years of support for development' })
        .first()
        .waitFor({ timeout: 30_000 });
      assert.equal(
        await page.getByText('Thanks — noted that this answer helped.').count(),
        0,
        "the editor's",
      );
    } finally {
      await browser.close();
    }
  });
});
