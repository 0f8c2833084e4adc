import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseTextArticle } from '../src/corpus/text-format.js';
import { ingest } from '../src/ingest/ingest.js';
import { formatSummary } from '../src/ingest/progress.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/search/search-service.js';
import { testEmbedder } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

const BODY = 'The network said the campaign was unfair. Ministers rejected the claim on Thursday evening.';
const one = (text: string) => {
  const parsed = parseTextArticle(text, 'a.txt');
  assert.equal(parsed.articles.length, 1, JSON.stringify(parsed.skipped));
  return parsed.articles[0] as NonNullable<(typeof parsed.articles)[0]>;
};

describe('.txt: a date leading the title line', () => {
  for (const [line, date, title] of [
    ['2005-02-10 Fox attacks Blair over ads', '2005-02-10', 'Fox attacks Blair over ads'],
    ['2005/02/10 Fox attacks Blair over ads', '2005-02-10', 'Fox attacks Blair over ads'],
    ['10 February 2005 - Fox attacks Blair over ads', '2005-02-10', 'Fox attacks Blair over ads'],
    ['Feb. 10, 2005: Fox attacks Blair over ads', '2005-02-10', 'Fox attacks Blair over ads'],
    ['February 10, 2005 | Fox attacks Blair over ads', '2005-02-10', 'Fox attacks Blair over ads'],
  ] as const) {
    it(`reads "${line}" as a dated title`, () => {
      const article = one(`${line}\n\n${BODY}\n`);
      assert.equal(article.date, date);
      assert.equal(article.title, title);
    });
  }

  for (const line of [
    '1984 Revisited: a novel at 40',
    '2005-13-45 Not a real date',
    '10 things to know about the budget',
  ]) {
    it(`keeps "${line}" as the title`, () => {
      const article = one(`${line}\n\n${BODY}\n`);
      assert.equal(article.title, line);
      assert.equal(article.date, null);
    });
  }
});

describe('.txt: bylines are the author, not body text', () => {
  for (const [byline, author, date] of [
    ['By Political reporter', 'Political reporter', null],
    ['By Alex Kim, 21 October 2025', 'Alex Kim', '2025-10-21'],
    ['By Jane Doe and John Roe', 'Jane Doe and John Roe', null],
    ['By BBC News Online staff', 'BBC News Online staff', null],
  ] as const) {
    it(`takes "${byline}"`, () => {
      const article = one(`Fox attacks Blair\n${byline}\n\n${BODY}\n`);
      assert.equal(article.author, author);
      assert.equal(article.date, date);
      assert.equal(article.body, BODY);
    });
  }

  it('leaves a sentence that starts with "By" in the body', () => {
    const sentence = 'By early 2005 the net could have two new domain names.';
    const article = one(`Domain names\n\n${sentence}\n${BODY}\n`);
    assert.equal(article.author, null);
    assert.ok(article.body.startsWith(sentence));
  });

  it('keeps quotes exact: passages come from the body without the byline, and start/end point into it', async () => {
    const corpus = await tempDir();
    await writeFile(
      path.join(corpus, 'fox.txt'),
      `2005-02-10 Fox attacks Blair over ads\nBy Political reporter\n\n${BODY}\n`,
    );
    await writeFile(path.join(corpus, 'plain.txt'), `Budget news\n\n${BODY.replace('network', 'council')}\n`);
    const indexDir = path.join(await tempDir(), 'index');
    const embedder = await testEmbedder('use-static-128');
    const result = await ingest({
      corpusDir: corpus,
      indexDir,
      maxFileBytes: 1 << 20,
      embedder,
      log: silentLogger(),
    });
    // The undated article is named in the summary; the dated one is not.
    assert.deepEqual(result.summary.undated, ['plain.txt']);
    const summary = formatSummary(result);
    assert.match(summary, /undated 1 new or changed article .*\n {4}plain\.txt\n/);
    assert.doesNotMatch(summary, /fox\.txt/);

    const search = await SearchService.open({ indexDir, embedder, log: silentLogger() });
    try {
      const response = await search.search('Did ministers reject the claim that the campaign was unfair?');
      for (const r of response.results) {
        const [article] = await search.views([r.articleId]);
        assert.ok(article);
        assert.equal(article.body.slice(r.start, r.end), r.quote);
        assert.doesNotMatch(article.body, /By Political reporter/);
      }
      assert.ok(response.results.length > 0);
    } finally {
      await search.close();
    }
  });
});
