import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPages, joinPages, pageAt, pageSpan, splitPages } from '../src/corpus/pages.js';
import { parseCorpusBytes } from '../src/corpus/parse-bytes.js';
import { renderArticleMarkdown } from '../src/intake/article-file.js';

describe('pages', () => {
  it('finds the page of an offset, an empty page giving way to the next', () => {
    const pages = [0, 10, 10, 25];
    assert.equal(pageAt(pages, 0), 1);
    assert.equal(pageAt(pages, 9), 1);
    assert.equal(pageAt(pages, 10), 3, 'page 2 is empty: offset 10 is on page 3');
    assert.equal(pageAt(pages, 30), 4);
    assert.deepEqual(pageSpan(pages, 3, 12), { first: 1, last: 3 });
    assert.equal(pageSpan(undefined, 3, 12), null);
    assert.equal(formatPages({ first: 4, last: 4 }), 'p. 4');
    assert.equal(formatPages({ first: 4, last: 5 }), 'pp. 4–5');
  });

  it('round-trips text with form feeds ending each page, a one-page document included', () => {
    const body = 'Page one ends here.\nPage two runs on over\nthe line. Page three.';
    const pages = [0, 20, 52];
    const joined = joinPages(body, pages);
    assert.equal((joined.match(/\f/g) ?? []).length, 3);
    assert.deepEqual(splitPages(joined), { text: body, pages });
    assert.deepEqual(splitPages(joinPages('Only page.', [0])), { text: 'Only page.', pages: [0] });
    assert.deepEqual(splitPages('No form feed.'), { text: 'No form feed.', pages: undefined });
    // A form feed between two words keeps them apart.
    assert.deepEqual(splitPages('one\ftwo'), { text: 'one\ntwo', pages: [0, 4] });
  });

  it('gives a Markdown article written with form feeds its pages, through the front matter writer', async () => {
    const body = joinPages('First page text.\nSecond page text.', [0, 17]);
    const file = renderArticleMarkdown(
      { title: 'Paged', outlet: 'Desk', date: '2024-01-02', url: null, author: null },
      body,
    );
    const [article] = (await parseCorpusBytes(Buffer.from(file), 'feeds/paged.md')).articles;
    assert.equal(article?.body, 'First page text.\nSecond page text.');
    assert.deepEqual(article?.pages, [0, 17]);
    const headed = await parseCorpusBytes(
      Buffer.from('# Heading title\n\nText one.\f\nText two.\f\n'),
      'h.md',
    );
    assert.equal(headed.articles[0]?.title, 'Heading title');
    assert.equal(headed.articles[0]?.body, 'Text one.\nText two.');
    assert.deepEqual(headed.articles[0]?.pages, [0, 10], 'pages move with the heading that leaves the body');
  });

  it('gives a text article from pdftotext (form feeds between pages) its pages', async () => {
    const text = 'Annual report\n\nThe first page.\n\fThe second page.\n\fThe third page.\n\f';
    const [article] = (await parseCorpusBytes(Buffer.from(text), 'report.txt')).articles;
    assert.equal(article?.body, 'The first page.\nThe second page.\nThe third page.');
    assert.deepEqual(article?.pages, [0, 16, 33]);
    const plain = (await parseCorpusBytes(Buffer.from('Title\n\nNo pages here.'), 'plain.txt')).articles[0];
    assert.equal(plain?.pages, undefined, 'an article without form feeds has no pages');
  });
});
