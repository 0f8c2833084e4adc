import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { DigestBuilder, MAX_CANDIDATES } from '../src/digest/build.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import type { SearchService } from '../src/search/search-service.js';
import { leadSentence } from '../src/stories/lead.js';
import { sameStory } from '../src/stories/same-story.js';
import { openSearch } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const T0 = new Date('2026-11-20T09:00:00Z');
const T1 = new Date('2026-11-21T09:00:00Z');
let search: SearchService;
let builder: DigestBuilder;

const md = (title: string, outlet: string, date: string, body: string, url?: string) =>
  `---\ntitle: "${title}"\noutlet: ${outlet}\ndate: ${date}\n${url ? `url: ${url}\n` : ''}---\n${body}\n`;

before(async () => {
  const corpus = await copyOfShippedCorpus();
  const index = path.join(await tempDir(), 'index');
  const run = async (at: Date) =>
    ingest({
      corpusDir: corpus,
      indexDir: index,
      maxFileBytes: 1 << 20,
      embedder: await testEmbedder('use-static-128'),
      log: silentLogger(),
      now: () => at,
    });
  await run(T0);
  const flood =
    'Flood waters rose through the river town of Millbrook overnight, forcing hundreds of residents from their homes. Rescue boats worked until dawn.';
  await writeFile(
    path.join(corpus, 'flood-courier.md'),
    md(
      'Flood waters rise in Millbrook river town',
      'The Courier',
      '2026-11-20',
      flood,
      'https://courier.example/flood',
    ),
  );
  await writeFile(
    path.join(corpus, 'flood-gazette.md'),
    md(
      'Millbrook river town floods as waters rise',
      'Gazette',
      '2026-11-21',
      `${flood} The mayor thanked volunteers.`,
      'https://gazette.example/flood',
    ),
  );
  await writeFile(
    path.join(corpus, 'flood-herald.md'),
    md(
      'Hundreds leave homes in Millbrook',
      'Herald',
      '2026-11-21',
      'Flood waters rose through the river town of Millbrook overnight, forcing hundreds of residents to leave their homes. Boats rescued families until dawn.',
    ),
  );
  await writeFile(
    path.join(corpus, 'library.md'),
    md(
      'School opens a new library',
      'The Courier',
      '2026-11-19',
      'The primary school opened a new library with four thousand books on Monday.',
    ),
  );
  await writeFile(
    path.join(corpus, 'solar.md'),
    md(
      'Solar heating reaches Nagqu villages',
      'Gazette',
      '2026-11-18',
      'Photo of panels on a roof. (Gazette/Ana Li)\n\nMore villages in Nagqu now heat their homes with solar panels, the county said. Winters there are long.',
    ),
  );
  await run(T1);
  search = await openSearch(index, 'use-static-128');
  builder = new DigestBuilder(search);
});

describe('building a digest', () => {
  it('holds only the articles that entered the archive in the window, newest first, led by their lead sentence', async () => {
    const digest = await builder.build({ topic: null, outlet: null, maxItems: 10 }, { since: T0, until: T1 });
    const titles = digest.entries.map((e) => e.title);
    assert.equal(titles.length, 3, `three stories (the flood told three times): ${JSON.stringify(titles)}`);
    assert.ok(!titles.some((t) => t.includes('Xizang')), 'older articles are not in it');
    const dates = digest.entries.map((e) => e.date ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
    const solar = digest.entries.find((e) => e.title.startsWith('Solar'));
    assert.equal(
      solar?.sentence,
      'More villages in Nagqu now heat their homes with solar panels, the county said.',
      'the caption is not the lead',
    );
    for (const e of digest.entries) {
      const [article] = await search.views([e.articleId]);
      assert.equal(article?.body.slice(e.start, e.end), e.sentence, 'verbatim');
    }
  });

  it('shows one story from several outlets once, with "also in"', async () => {
    const digest = await builder.build({ topic: null, outlet: null, maxItems: 10 }, { since: T0, until: T1 });
    const flood = digest.entries.filter((e) => e.title.includes('Millbrook') || e.title.includes('Hundreds'));
    assert.equal(flood.length, 1, 'three reports, one entry');
    const outlets = [flood[0]?.outlet, ...(flood[0]?.alsoIn.map((a) => a.outlet) ?? [])];
    assert.deepEqual(outlets.sort(), ['Gazette', 'Herald', 'The Courier']);
    assert.equal(flood[0]?.outlet, 'Herald', 'the newest report leads (ties: by title)');
    assert.ok(
      digest.entries.some((e) => e.title === 'School opens a new library'),
      'another story stays apart',
    );
  });

  it('keeps only articles that clear the relevance floor for a topic, quoting the sentence that matches', async () => {
    const digest = await builder.build(
      { topic: 'solar panels heating homes', outlet: null, maxItems: 10 },
      { since: T0, until: T1 },
    );
    assert.deepEqual(
      digest.entries.map((e) => e.title),
      ['Solar heating reaches Nagqu villages'],
    );
    assert.equal(
      digest.entries[0]?.sentence,
      'More villages in Nagqu now heat their homes with solar panels, the county said.',
    );
    const none = await builder.build(
      { topic: 'chocolate chip cookie recipe', outlet: null, maxItems: 10 },
      { since: T0, until: T1 },
    );
    assert.deepEqual(none.entries, []);
  });

  it('narrows to an outlet and caps the number of stories', async () => {
    const courier = await builder.build(
      { topic: null, outlet: 'the courier', maxItems: 10 },
      { since: T0, until: T1 },
    );
    assert.ok(courier.entries.every((e) => e.outlet === 'The Courier'));
    const capped = await builder.build({ topic: null, outlet: null, maxItems: 2 }, { since: T0, until: T1 });
    assert.equal(capped.entries.length, 2);
    assert.equal(capped.more, 1);
  });

  it('finds the lead after a photo caption in a shipped article', async () => {
    const meta = search.articles.find((a) => a.source.startsWith('000_'));
    const [article] = await search.views(meta ? [meta.id] : []);
    assert.ok(article);
    const lead = leadSentence(article);
    assert.match(
      article.body.slice(lead.start, lead.end),
      /^LHASA, Aug\. 28 \(Xinhua\) -- China's top political advisor Wang Huning has urged/,
    );
  });
});

describe('the same-story rule', () => {
  const v = (...xs: number[]) => Float32Array.from(xs, (x) => x / Math.hypot(...xs));
  const base = {
    lead: 'Flood waters rose through Millbrook overnight.',
    date: '2026-11-20',
    vector: v(1, 0, 0),
  };

  it('joins near-identical titles', () => {
    assert.ok(
      sameStory(
        { ...base, title: 'Flood waters rise in Millbrook' },
        { ...base, title: 'Millbrook: flood waters rise', vector: v(0, 1, 0) },
      ),
    );
  });

  it('joins very close embeddings that also share words', () => {
    assert.ok(
      sameStory(
        { ...base, title: 'Mayor orders evacuation' },
        { ...base, title: 'Hundreds leave homes', vector: v(1, 0.1, 0) },
      ),
    );
  });

  it('keeps apart close embeddings without shared words (a model that finds everything alike)', () => {
    assert.ok(
      !sameStory(
        { ...base, title: 'School opens library', lead: 'Books for children.' },
        { ...base, title: 'Harbour closes', lead: 'Ships wait outside.' },
      ),
    );
  });

  it('keeps apart templated reports about different places, however close their embeddings', () => {
    const lead = (place: string) =>
      `In ${place}, the bridge that residents argued about finally closed on Monday, the council said.`;
    assert.ok(
      !sameStory(
        { ...base, title: 'Ashford bridge closes', lead: lead('Ashford') },
        { ...base, title: 'Brambleton bridge closes', lead: lead('Brambleton') },
      ),
    );
    assert.ok(
      sameStory(
        { ...base, title: 'Ashford bridge closes', lead: lead('Ashford') },
        { ...base, title: 'Bridge shut in Ashford', lead: lead('Ashford') },
      ),
    );
  });

  it('keeps apart reports whose titles give different numbers', () => {
    assert.ok(
      !sameStory(
        { ...base, title: 'Wetland survey 3 counts birds' },
        { ...base, title: 'Wetland survey 4 counts birds' },
      ),
    );
    assert.ok(
      sameStory(
        { ...base, title: 'Storm hits coast in 2026' },
        { ...base, title: 'Storm hits the coast, 2026' },
      ),
    );
  });

  it('keeps apart different stories and reports days apart', () => {
    assert.ok(
      !sameStory(
        { ...base, title: 'Flood waters rise in Millbrook' },
        { ...base, title: 'Council passes budget', lead: 'The council met.', vector: v(0, 0, 1) },
      ),
    );
    assert.ok(
      !sameStory(
        { ...base, title: 'Flood waters rise in Millbrook' },
        { ...base, title: 'Flood waters rise in Millbrook', date: '2026-12-01' },
      ),
    );
  });
});

describe('a digest over a large import', () => {
  it(`sorts only the newest ${MAX_CANDIDATES} new articles into stories and counts the rest as unsorted`, async () => {
    const corpus = await tempDir('clipdesk-import-');
    const extra = 12;
    for (let i = 0; i < MAX_CANDIDATES + extra; i++) {
      // Distinct towns and numbers, so no two are one story; dates one day apart, newest last.
      const day = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      await writeFile(
        path.join(corpus, `import-${String(i).padStart(4, '0')}.md`),
        md(
          `Council ${i} approves budget of ${1000 + i} pounds`,
          'Archive',
          day,
          `The council of town number ${i} approved a budget of ${1000 + i} pounds on ${day}.`,
        ),
      );
    }
    const index = path.join(await tempDir(), 'index');
    await ingest({
      corpusDir: corpus,
      indexDir: index,
      maxFileBytes: 1 << 20,
      embedder: await testEmbedder('tiny-random-bert'),
      log: silentLogger(),
      now: () => T1,
    });
    const imported = await openSearch(index, 'tiny-random-bert');
    const digest = await new DigestBuilder(imported).build(
      { topic: null, outlet: null, maxItems: 5, everythingAdded: true },
      { since: T0, until: new Date(T1.getTime() + 1000) },
    );
    await imported.close();
    assert.equal(digest.unsorted, extra);
    assert.equal(digest.entries.length, 5);
    // The newest articles lead; the oldest ones (past the cap) never enter a story.
    assert.equal(
      digest.entries[0]?.title,
      `Council ${MAX_CANDIDATES + extra - 1} approves budget of ${1000 + MAX_CANDIDATES + extra - 1} pounds`,
    );
    assert.equal(digest.more, MAX_CANDIDATES - 5);
  });
});
