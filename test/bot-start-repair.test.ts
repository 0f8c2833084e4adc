import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LivingArchive } from '../src/living-archive.js';
import { type BotHarness, startHarness, str } from './helpers/bot.js';
import { tempDir } from './helpers/temp.js';

let h: BotHarness;
let dataDir: string;

before(async () => {
  dataDir = path.join(await tempDir(), 'data');
  await mkdir(dataDir, { recursive: true });
  // Every state file damaged before the first start.
  await writeFile(path.join(dataDir, 'feeds-state.json'), '{"version": 1, "feeds": ');
  await writeFile(path.join(dataDir, 'instant.json'), '[]');
  await writeFile(path.join(dataDir, 'digests.json'), 'not json');
  h = await startHarness({ env: { DATA_DIR: dataDir } });
});
after(() => h.stop());

const living = () => h.bot.ctx.living as LivingArchive;
const ask = (question: string) =>
  h.discord.sendCommand({ name: 'ask', options: [str('question', question)] }).waitForFinalReply();

describe('start-up repairs', () => {
  it('starts with a damaged feeds-state.json, instant.json and digests.json, each moved aside by name', async () => {
    const files = (await readdir(dataDir)).sort();
    for (const name of ['digests.json', 'feeds-state.json', 'instant.json'])
      assert.ok(
        files.some((f) => f.startsWith(`${name}.corrupt-`)),
        `${name} moved aside: ${files.join(', ')}`,
      );
    const reply = await ask('How many heart patients were treated for free?');
    assert.match(JSON.stringify(reply.embeds), /8,300 patients/);
  });

  it('a feed article written before a crash cut its ingest short is in the index after the next start', async () => {
    await living().reconciled;
    // What a poll killed between writing its files and ingesting them leaves behind.
    const folder = path.join(h.corpusDir, 'feeds', 'harbour-news');
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, '2026-11-19-lock-gates-replaced.md'),
      '---\ntitle: "Lock gates replaced"\noutlet: "Harbour News"\ndate: "2026-11-19"\nfeed: "https://harbour.example/rss"\nguid: "lock-1"\n---\n\nThe old lock gates at the inner basin were replaced over the weekend by a crew of forty engineers, who lifted the two steel gates into place with a floating crane.\n',
    );
    await h.restart();
    const result = await living().reconciled;
    assert.equal(result?.summary.added, 1);
    const reply = await ask('Who replaced the lock gates at the inner basin?');
    assert.match(JSON.stringify(reply.embeds), /forty engineers/);
  });

  it('starts with a truncated lexicon.bin, repairing it before it connects', async () => {
    const lexicon = path.join(await segmentHolding('003_e9c50f8481d5a253.txt'), 'lexicon.bin');
    await truncate(lexicon, 64); // its header stays, the term list is cut: nothing can open it
    await h.restart();
    const reply = await ask('How many heart patients were treated for free?');
    assert.match(JSON.stringify(reply.embeds), /8,300 patients/);
  });

  it('never quotes a changed byte of articles.bin, and /reindex restores the true text', async () => {
    await living().reconciled;
    const file = path.join(await segmentHolding('003_e9c50f8481d5a253.txt'), 'articles.bin');
    const bytes = await readFile(file);
    bytes[bytes.indexOf('8,300 patients')] = '9'.charCodeAt(0);
    await writeFile(file, bytes);
    const damaged = await ask('How many heart patients were treated for free?');
    assert.doesNotMatch(JSON.stringify(damaged.embeds), /9,300/);
    const reindex = await h.discord
      .sendCommand({ name: 'reindex', memberPermissions: '32' })
      .waitForFinalReply(60_000);
    assert.match(
      reindex.content,
      /repaired a damaged part of the index .*articles\.bin does not match its checksum/,
    );
    const repaired = await ask('How many heart patients were treated for free?');
    assert.match(JSON.stringify(repaired.embeds), /8,300 patients/);
  });
});

/** The segment folder of the index that holds a corpus file's article. */
async function segmentHolding(source: string): Promise<string> {
  const index = h.config.indexDir;
  const manifest = JSON.parse(await readFile(path.join(index, 'manifest.json'), 'utf8')) as {
    segments: Array<{ id: string; deleted: string[] }>;
  };
  for (const { id } of manifest.segments) {
    const catalog = await readFile(path.join(index, id, 'catalog.json'), 'utf8');
    if (catalog.includes(source)) return path.join(index, id);
  }
  throw new Error(`no segment holds ${source}`);
}
