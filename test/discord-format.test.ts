import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alsoInList, renderAnswer } from '../src/discord/answer-format.js';
import { askIds, parseAskId } from '../src/discord/custom-ids.js';
import { embedLength, LIMITS, truncateWords } from '../src/discord/limits.js';
import { blockQuote, plain } from '../src/discord/markdown.js';
import { fitQuote, fitQuotes } from '../src/discord/quote-fit.js';
import { QuestionRateLimit } from '../src/discord/rate-limit.js';
import type { ArticleRef, Excerpt } from '../src/search/excerpt.js';

const excerpt = (i: number, quote: string, extra: Partial<Excerpt> = {}): Excerpt => ({
  articleId: `a${i}`,
  source: `a${i}.txt`,
  title: `Title ${i}`,
  outlet: 'Wire',
  date: '2024-08-28',
  url: null,
  quote,
  start: 0,
  end: quote.length,
  strength: 'Good match',
  pages: null,
  score: 0.7,
  matchedWords: ['glacier'],
  alsoIn: [],
  ...extra,
});

describe('quotes in Discord', () => {
  it('are block quotes with markdown and line-start markers escaped', () => {
    assert.equal(
      blockQuote('A **bold** claim.\n\n# Not a heading\n> not a quote'),
      '> A \\*\\*bold\\*\\* claim.\n> \\# Not a heading\n> \\> not a quote',
    );
    assert.equal(
      plain('[click](https://evil.example) _x_ `y` ||z||'),
      '\\[click](https://evil.example) \\_x\\_ \\`y\\` \\|\\|z\\|\\|',
    );
  });

  it('are shortened by whole sentences, with the omission mark outside the quote', () => {
    const quote = 'First sentence is here. Second sentence follows it. Third one ends.';
    assert.deepEqual(fitQuote(quote, 500), { text: `> ${quote}`, shortened: false });
    assert.deepEqual(fitQuote(quote, 60), {
      text: '> First sentence is here. Second sentence follows it.\n[…]',
      shortened: true,
    });
    assert.deepEqual(fitQuote(quote, 35), { text: '> First sentence is here.\n[…]', shortened: true });
  });

  it('cut one over-long sentence only between words', () => {
    const { text } = fitQuote(`Alpha ${'beta '.repeat(50)}gamma.`, 40);
    assert.ok(text.length <= 40);
    assert.match(text, /^> Alpha( beta)+\n\[…\]$/);
  });

  it('share a budget: every quote gets its first sentence, then whole sentences, best result first', () => {
    const q = (n: number) =>
      Array.from({ length: 3 }, (_, k) => `Quote ${n} sentence ${k} ${'word '.repeat(10)}end.`).join(' ');
    const first = (n: number) => `${blockQuote(q(n).split(' Quote ')[0] as string)}\n[…]`;
    const two = (n: number) => `${blockQuote(q(n).split(' Quote ').slice(0, 2).join(' Quote '))}\n[…]`;
    const base = first(1).length + first(2).length + first(3).length;
    // Room for exactly one more sentence: it goes to the best result.
    const fitted = fitQuotes([q(1), q(2), q(3)], base + two(1).length - first(1).length);
    assert.deepEqual(fitted, [two(1), first(2), first(3)]);
    // Room for everything: every quote whole, no omission mark.
    assert.deepEqual(fitQuotes([q(1), q(2), q(3)], 10_000), [
      blockQuote(q(1)),
      blockQuote(q(2)),
      blockQuote(q(3)),
    ]);
    // Not even the first sentences fit: equal shares, cut between words.
    const tight = fitQuotes([q(1), q(2), q(3)], 90);
    assert.ok(tight.every((t) => t.length <= 30 && t.endsWith('[…]')));
  });
});

describe('an answer message', () => {
  it('stays within every limit with ten long results, titles and notes', () => {
    const sentence = (i: number, k: number) =>
      `Result ${i} says thing ${k}: ${'a long clause about the archive, '.repeat(12)}done.`;
    const results = Array.from({ length: 10 }, (_, i) =>
      excerpt(i, [0, 1, 2].map((k) => sentence(i, k)).join(' '), {
        title: `${'Very long headline words '.repeat(20)}${i}`,
        outlet: 'An outlet with a long name '.repeat(12),
        matchedWords: Array.from({ length: 30 }, (_, k) => `word${k}`),
      }),
    );
    const payload = renderAnswer({
      answerId: 'abc',
      question: 'q?'.repeat(250),
      filters: {},
      results,
      total: 25,
      page: 0,
      perPage: 10,
      shareable: true,
    });
    assert.equal(payload.embeds.length, 10);
    assert.ok(payload.content.length <= LIMITS.content);
    const total = payload.embeds.reduce((n, e) => n + embedLength(e), 0);
    assert.ok(total <= LIMITS.embedTotal, `total ${total}`);
    for (const e of payload.embeds) {
      assert.ok((e.title?.length ?? 0) <= LIMITS.embedTitle);
      assert.ok((e.description?.length ?? 0) <= LIMITS.embedDescription);
      assert.ok((e.author?.name.length ?? 0) <= LIMITS.authorName);
      assert.ok((e.footer?.text.length ?? 0) <= LIMITS.footerText);
    }
    const row = payload.components[0];
    assert.ok(row && row.components.length <= LIMITS.buttonsPerRow);
    assert.deepEqual(
      row.components.map((b) => ('label' in b ? b.label : '')),
      ['More ▶', 'Share', '👍', '👎'],
    );
    assert.deepEqual(payload.allowedMentions, { parse: [] });
  });

  it('links the title when the article has a url, and names outlet and date', () => {
    const [embed] = renderAnswer({
      answerId: 'abc',
      question: 'q',
      filters: {},
      results: [excerpt(1, 'Short quote.', { url: 'https://example.org/1', outlet: null, date: null })],
      total: 1,
      page: 0,
      perPage: 3,
      shareable: false,
    }).embeds;
    assert.equal(embed?.url, 'https://example.org/1');
    assert.equal(embed?.author?.name, 'Outlet not recorded · undated');
    assert.equal(embed?.footer?.text, 'Good match (70%) · words in common: glacier');
  });

  it('shows the page beside the source for a quote from a paged document, both pages when it runs over a break', () => {
    const embeds = renderAnswer({
      answerId: 'abc',
      question: 'q',
      filters: {},
      results: [
        excerpt(1, 'On one page.', { pages: { first: 4, last: 4 } }),
        excerpt(2, 'Over a page break.', { pages: { first: 4, last: 5 } }),
        excerpt(3, 'Not paged.'),
      ],
      total: 3,
      page: 0,
      perPage: 3,
      shareable: false,
    }).embeds;
    assert.deepEqual(
      embeds.map((e) => e.author?.name),
      ['Wire · 28 Aug 2024 · p. 4', 'Wire · 28 Aug 2024 · pp. 4–5', 'Wire · 28 Aug 2024'],
    );
  });
});

describe('also in', () => {
  const other = (i: number, extra: Partial<ArticleRef> = {}): ArticleRef => ({
    articleId: `b${i}`,
    source: `b${i}.txt`,
    title: `Copy **${i}** of the story`,
    outlet: 'Courier',
    date: '2024-08-29',
    url: `https://courier.example/${i}`,
    ...extra,
  });

  it('names the other articles of the story with title (linked), outlet and date, escaped', () => {
    const [embed] = renderAnswer({
      answerId: 'abc',
      question: 'q',
      filters: {},
      results: [excerpt(1, 'Short quote.', { alsoIn: [other(1), other(2, { url: null, outlet: null })] })],
      total: 1,
      page: 0,
      perPage: 3,
      shareable: false,
    }).embeds;
    assert.deepEqual(embed?.fields, [
      {
        name: 'Also in',
        value:
          '[Copy \\*\\*1\\*\\* of the story](https://courier.example/1) · Courier · 29 Aug 2024\n' +
          'Copy \\*\\*2\\*\\* of the story · Outlet not recorded · 29 Aug 2024',
      },
    ]);
  });

  it('counts the ones that do not fit, and keeps ten results with long lists within every limit', () => {
    const many = Array.from({ length: 12 }, (_, i) => other(i, { title: 'A headline '.repeat(30) }));
    assert.match(alsoInList(many, 400), /\n… and \d+ more$/);
    const payload = renderAnswer({
      answerId: 'abc',
      question: 'q',
      filters: {},
      results: Array.from({ length: 10 }, (_, i) =>
        excerpt(i, 'A sentence. '.repeat(80).trim(), { alsoIn: many }),
      ),
      total: 10,
      page: 0,
      perPage: 10,
      shareable: false,
    });
    const total = payload.embeds.reduce((n, e) => n + embedLength(e), 0);
    assert.ok(total <= LIMITS.embedTotal, `total ${total}`);
    for (const e of payload.embeds)
      for (const f of e.fields ?? []) assert.ok(f.value.length <= LIMITS.fieldValue);
  });
});

describe('custom ids', () => {
  it('carry the answer, page and action within 100 characters, and reject anything else', () => {
    assert.deepEqual(parseAskId(askIds.page('AbC-12_x', 3, true)), {
      action: 'page',
      answerId: 'AbC-12_x',
      page: 3,
      shared: true,
    });
    assert.deepEqual(parseAskId(askIds.page('AbC-12_x', 3)), {
      action: 'page',
      answerId: 'AbC-12_x',
      page: 3,
      shared: false,
    });
    assert.deepEqual(parseAskId(askIds.share('id', 0)), { action: 'share', answerId: 'id', page: 0 });
    assert.deepEqual(parseAskId(askIds.vote('id', 1, 'down')), {
      action: 'vote',
      answerId: 'id',
      page: 1,
      vote: 'down',
    });
    for (const bad of ['ask:vote:id:1:maybe', 'ask:page:id:-1', 'ask:page::1', 'src:1:', 'ask:explode:id:1'])
      assert.equal(parseAskId(bad), null, bad);
    assert.throws(() => askIds.page('x'.repeat(100), 1), /longer than 100/);
  });

  it('refuse page numbers that are not plain small numbers, and extra parts', () => {
    for (const bad of [
      'ask:page:id:1e3',
      'ask:page:id:0x10',
      'ask:page:id:1.5',
      'ask:page:id: 1',
      'ask:page:id:99999',
      'ask:page:id:1:not-a-user',
      'ask:share:id:1:123456789012345678',
      'ask:vote:id:1:up:extra',
      'ask:page:a/b:1',
    ])
      assert.equal(parseAskId(bad), null, bad);
  });

  it('read an id made before this version (with the sharer) as a shared page, keeping no name from it', () => {
    assert.deepEqual(parseAskId('ask:page:AbC-12_x:2:123456789012345678'), {
      action: 'page',
      answerId: 'AbC-12_x',
      page: 2,
      shared: true,
    });
  });
});

describe('question rate limit', () => {
  it('allows the limit per minute, then one notice, then silence until the window moves', () => {
    let now = 0;
    const limit = new QuestionRateLimit(2, () => now);
    assert.equal(limit.check('u').verdict, 'ok');
    assert.equal(limit.check('u').verdict, 'ok');
    const notice = limit.check('u');
    assert.deepEqual(notice, { verdict: 'notice', retryInSeconds: 60 });
    assert.equal(limit.check('u').verdict, 'silent');
    assert.equal(limit.check('other').verdict, 'ok', 'per person');
    now = 60_001;
    assert.equal(limit.check('u').verdict, 'ok');
  });

  it('forgets people whose minute has passed, and never remembers more than its bound', () => {
    let now = 0;
    const limit = new QuestionRateLimit(2, () => now, 60_000, 100);
    for (let i = 0; i < 1000; i++) limit.check(`stranger-${i}`);
    assert.equal(limit.tracked, 100, 'bounded while they are all recent');
    now = 61_000;
    limit.check('someone-new');
    assert.equal(limit.tracked, 1, 'everyone from the previous minute is forgotten');
  });
});

describe('truncation', () => {
  it('cuts at a word boundary with an ellipsis', () => {
    assert.equal(truncateWords('short', 10), 'short');
    assert.equal(truncateWords('one two three four', 12), 'one two…');
  });
});
