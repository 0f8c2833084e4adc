import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseTextArticle } from '../src/corpus/text-format.js';
import { PROJECT_ROOT } from './helpers/models.js';

const shipped = (name: string) => readFile(path.join(PROJECT_ROOT, 'corpus', name), 'utf8');

function only(text: string, source = 'a.txt') {
  const parsed = parseTextArticle(text, source);
  assert.equal(parsed.skipped.length, 0, JSON.stringify(parsed.skipped));
  const [article] = parsed.articles;
  assert.ok(article);
  return article;
}

describe('plain-text articles as the shipped corpus has them', () => {
  it('reads a " date YYYY-MM-DD Title" header and the outlet from a wire dateline', async () => {
    const a = only(await shipped('000_01192254e148cab4.txt'));
    assert.equal(a.title, "China's top political advisor urges solid paired-up assistance for Xizang");
    assert.equal(a.date, '2024-08-29');
    assert.equal(a.outlet, 'Xinhua');
    assert.match(a.body, /^Wang Huning, a member/);
    assert.match(a.body, /LHASA, Aug\. 28 \(Xinhua\) --/, 'the dateline stays in the body');
  });

  it('drops a scraped web byline and the trailing "(Web editor: ...)" line', async () => {
    const a = only(await shipped('002_35826060f10723de.txt'));
    assert.equal(a.date, '2024-08-28');
    assert.equal(a.outlet, 'Xinhua');
    assert.match(a.body, /^LHASA, Aug\. 27 \(Xinhua\) -- In June 1998/);
    assert.ok(!a.body.includes('08:35'), 'byline removed');
    assert.ok(!a.body.includes('Web editor'), 'editor credit removed');
    assert.ok(a.body.endsWith('"It should be carried on generation after generation," he added.'));
  });

  it('reads a bare title line with no date and no outlet', async () => {
    const a = only(await shipped('003_e9c50f8481d5a253.txt'));
    assert.equal(a.title, '30 years of support for development');
    assert.equal(a.date, null);
    assert.equal(a.outlet, null);
    assert.match(a.body, /^Thanks to support from the central government/);
  });

  it('reads a "date time   Source: outlet" line and drops the site footer', async () => {
    const a = only(await shipped('004_1f6cc5111f6a3622.txt'));
    assert.equal(
      a.title,
      "Hangzhou Tibet Assistance Working Group Study and Implement the Spirit of Hangzhou Leaders' Instructions",
    );
    assert.equal(a.date, '2022-03-15');
    assert.equal(a.outlet, 'Zhejiang Online');
    assert.match(a.body, /^Recently, Liu Jie/);
    for (const footer of ['Editor in charge', 'Sponsor:', 'Website ID', 'Technical support']) {
      assert.ok(!a.body.includes(footer), `${footer} removed`);
    }
    assert.ok(a.body.endsWith('with outstanding achievements.'));
  });

  it('takes URL, author and source lines under the title and normalises CRLF', () => {
    const a = only(
      'Budget passes\r\nBy Jane Doe\r\nURL: https://example.org/budget\r\nSource: The Courier\r\n\r\nThe council passed the budget.\r\n',
    );
    assert.deepEqual(
      { title: a.title, author: a.author, url: a.url, outlet: a.outlet, body: a.body },
      {
        title: 'Budget passes',
        author: 'Jane Doe',
        url: 'https://example.org/budget',
        outlet: 'The Courier',
        body: 'The council passed the budget.',
      },
    );
  });

  it('names an article after its file when the first line is a paragraph, not a title', () => {
    const long = `${'The council met on Tuesday and talked about the budget for a long time. '.repeat(6)}`;
    const a = only(`${long}\n\nMore text.`, 'news/city-budget_2024.txt');
    assert.equal(a.title, 'city budget 2024');
    assert.ok(a.body.startsWith('The council met'));
  });

  it('reports a file with a title and nothing else', () => {
    const parsed = parseTextArticle('Only a title\n\n', 'empty-body.txt');
    assert.deepEqual(parsed.articles, []);
    assert.deepEqual(parsed.skipped, [{ source: 'empty-body.txt', reason: 'no body text after the title' }]);
  });
});
