import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { SearchService } from '../src/search/search-service.js';
import { everyResult, openSearch, runIngest } from './helpers/index.js';
import { TEST_ROOT } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

interface Questions {
  onTopic: Array<{ q: string; answer: string[]; set: string }>;
  offTopic: string[];
  offTopicHeldOut: string[];
}

/** The shipped parameters: what a user gets. */
let search: SearchService;
/** Every candidate shown (no decline, no usefulness floor): for what does not depend on fitted numbers. */
let wide: SearchService;
let questions: Questions;
let articleIds: Map<string, string>;
const articleOf = (source: string) => articleIds.get(source);

before(async () => {
  const corpus = await copyOfShippedCorpus();
  // Two more outlets and dates, for the filters.
  await writeFile(
    path.join(corpus, 'courier.md'),
    '---\ntitle: Solar heating reaches more villages\ndate: 2025-01-10\noutlet: The Courier\n---\nMore villages in Nagqu now heat their homes with solar panels, the county said.\n',
  );
  // A syndicated copy of one of the shipped articles under another name: one story, shown once.
  await writeFile(
    path.join(corpus, 'copy-of-xinjiang.txt'),
    await readFile(path.join(corpus, '001_6d679d00b5a46ec6.txt'), 'utf8'),
  );
  await writeFile(
    path.join(corpus, 'gazette.json'),
    JSON.stringify({
      title: 'Trees against sand',
      date: '2023-06-01',
      outlet: 'Gazette',
      body: 'Volunteers planted trees to stop sandstorms in Namling county.',
    }),
  );
  const index = path.join(await tempDir(), 'index');
  await runIngest(corpus, index, 'use-static-128');
  search = await openSearch(index, 'use-static-128');
  wide = await openSearch(index, 'use-static-128', everyResult(search.params));
  articleIds = new Map(search.articles.map((a) => [a.source, a.id]));
  questions = JSON.parse(
    await readFile(path.join(TEST_ROOT, 'fixtures', 'questions.json'), 'utf8'),
  ) as Questions;
});

describe('search', () => {
  it('quotes are exact substrings of the source article, at the offsets given', async () => {
    for (const { q } of questions.onTopic.slice(0, 15)) {
      for (const r of (await wide.search(q)).results) {
        const [article] = await search.views([r.articleId]);
        assert.ok(article);
        assert.equal(article.body.slice(r.start, r.end), r.quote);
        assert.ok(r.quote.length > 0 && r.quote === r.quote.trim());
      }
    }
  });

  it('returns one result per article, best first', async () => {
    const { results, total } = await wide.search('paired-up assistance for Xizang officials');
    assert.ok(results.length >= 3);
    assert.equal(new Set(results.map((r) => r.articleId)).size, results.length);
    assert.equal(total, results.length);
    for (let i = 1; i < results.length; i++)
      assert.ok((results[i - 1]?.score ?? 0) >= (results[i]?.score ?? 0));
  });

  it('puts the answer in the top quote for a question phrased in other words', async () => {
    const heart = await search.search('How many heart patients were treated for free?');
    assert.match(heart.results[0]?.quote ?? '', /8,300 patients with congenital heart disease/);
    const money = await search.search('How much money did the assistance strategy bring in during 2023?');
    assert.match(money.results[0]?.quote ?? '', /25\.17 billion yuan/);
    // Two numbers, the article holding only the first: declined (it was read before its first number was checked).
    for (const q of [
      'How much money did the assistance bring in during 2023 and 2031?',
      'How much money did the assistance bring in during 2031 and 2023?',
    ]) {
      assert.deepEqual((await search.search(q)).results, [], q);
    }
  });

  it('counts a year the article does not report as a missing part, and a year of its date as held', async () => {
    const missing = async (q: string, source: string) =>
      (await wide.explain(q)).scored.find((s) => s.hit.articleId === articleOf(source))?.features.missing;
    const later = await missing(
      'How many seedlings were planted in Namling in 2031?',
      '002_35826060f10723de.txt',
    );
    const plain = await missing('How many seedlings were planted in Namling?', '002_35826060f10723de.txt');
    assert.ok(later !== undefined && plain !== undefined && later > plain, `${later} > ${plain}`);
    // The Gazette's story says no year; its date (2023-06-01) does.
    assert.equal(
      await missing('Did volunteers plant trees against sandstorms in Namling in 2023?', 'gazette.json'),
      0,
    );
    assert.equal(
      await missing('Did volunteers plant trees against sandstorms in Namling in 2021?', 'gazette.json'),
      1,
    );
  });

  it('shows near-identical articles once, naming the others under "also in"', async () => {
    const { results, total } = await wide.search('Who chaired the Xinjiang assistance meeting?');
    const xinjiang = results.filter((r) =>
      ['copy-of-xinjiang.txt', '001_6d679d00b5a46ec6.txt'].includes(r.source),
    );
    assert.equal(xinjiang.length, 1, JSON.stringify(results.map((r) => r.source)));
    assert.deepEqual(
      xinjiang[0]?.alsoIn.map((a) => a.source),
      [xinjiang[0]?.source === 'copy-of-xinjiang.txt' ? '001_6d679d00b5a46ec6.txt' : 'copy-of-xinjiang.txt'],
    );
    assert.equal(total, results.length);
  });

  it('says nothing rather than the least bad passage when the archive does not cover the question', async () => {
    for (const q of [
      'How do I reset my email password?',
      'Recipe for chocolate chip cookies',
      'Who won the football match last night?',
    ]) {
      const response = await search.search(q);
      assert.deepEqual(response.results, [], q);
      assert.equal(response.total, 0);
    }
  });

  it('filters by outlet, whatever its case', async () => {
    const { results } = await wide.search('solar panels heating homes in Nagqu', { outlet: 'the courier' });
    assert.deepEqual(
      results.map((r) => r.outlet),
      ['The Courier'],
    );
    const xinhua = await wide.search('solar panels heating homes in Nagqu', { outlet: 'Xinhua' });
    assert.ok(xinhua.results.length > 0 && xinhua.results.every((r) => r.outlet === 'Xinhua'));
  });

  it('filters by date, inclusive, leaving out undated articles', async () => {
    const q = 'planting trees against sandstorms';
    const all = await wide.search(q);
    assert.ok(
      all.results.some((r) => r.source === 'gazette.json') &&
        all.results.some((r) => r.source.startsWith('002_')),
    );
    const since = await wide.search(q, { since: '2024-08-28' });
    assert.ok(
      since.results.length > 0 && since.results.every((r) => r.date !== null && r.date >= '2024-08-28'),
    );
    const until = await wide.search(q, { until: '2023-06-01' });
    assert.deepEqual(
      until.results.map((r) => r.source),
      ['gazette.json'],
    );
    const between = await wide.search('assistance', { since: '2022-01-01', until: '2022-12-31' });
    assert.ok(between.results.every((r) => r.date?.startsWith('2022')));
  });

  it('orders by date when asked, newest first', async () => {
    const { results } = await wide.search('assistance for Xizang and Xinjiang', { order: 'date' });
    const dates = results.map((r) => r.date ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  it('pages with limit and offset without repeating an article', async () => {
    const q = 'paired-up assistance officials';
    const all = await wide.search(q);
    const first = await wide.search(q, { limit: 2 });
    const second = await wide.search(q, { limit: 2, offset: 2 });
    assert.equal(first.total, all.total);
    assert.deepEqual(
      [...first.results, ...second.results].map((r) => r.articleId),
      all.results.slice(0, 4).map((r) => r.articleId),
    );
  });

  it('explains what is wrong with a question or filter', async () => {
    await assert.rejects(wide.search('   '), /Ask a question/);
    await assert.rejects(wide.search('x'.repeat(501)), /keep it under 500/);
    await assert.rejects(
      wide.search('aid', { since: '28/08/2024' }),
      /`since` must be a date written as YYYY-MM-DD/,
    );
    await assert.rejects(
      wide.search('aid', { since: '2025-01-01', until: '2024-01-01' }),
      /nothing can match/,
    );
    await assert.rejects(
      wide.search('aid', { outlet: 'Daily Planet' }),
      /No article in the archive is from the outlet "Daily Planet"/,
    );
  });

  it('names the words of the quote that the question used', async () => {
    const { results } = await wide.search('How many orphans were supported?');
    assert.ok(results[0]?.matchedWords.includes('orphans'), JSON.stringify(results[0]?.matchedWords));
  });

  it('names only informative words in common, not generic ones such as "uses", "put" or "years"', async () => {
    const { results } = await wide.search(
      'For how many years did the herder family in the Nagqu village put up with cold winters?',
    );
    const top = results[0];
    assert.ok(top && /freezingly cold winters for years/.test(top.quote), top?.quote);
    assert.ok(top.matchedWords.includes('winters'), JSON.stringify(top.matchedWords));
    assert.ok(
      !top.matchedWords.includes('years') && !top.matchedWords.includes('put'),
      JSON.stringify(top.matchedWords),
    );
  });
});
