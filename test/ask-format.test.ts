import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { toJson, toText } from '../src/cli/ask-format.js';
import type { Excerpt } from '../src/search/excerpt.js';

const root = '/project';
const corpusDir = path.join(root, 'corpus');
const result: Excerpt = {
  articleId: 'a1',
  source: 'wire/flood.txt',
  title: 'Flood waters rise in Millbrook',
  outlet: 'Wire',
  date: '2026-11-20',
  url: 'https://wire.example/flood',
  quote: 'Flood waters rose through Millbrook overnight.',
  start: 0,
  end: 46,
  pages: null,
  score: 0.9,
  strength: 'Strong match',
  matchedWords: ['Millbrook'],
  alsoIn: [
    {
      articleId: 'a2',
      source: 'courier.jsonl#17',
      title: 'Millbrook flooded overnight',
      outlet: 'Courier',
      date: '2026-11-21',
      url: null,
    },
  ],
};

describe('npm run ask output', () => {
  it('lists near-identical articles under "also in" in the text output', () => {
    const text = toText({ question: 'q', results: [result], total: 1 }, corpusDir, root);
    assert.match(text, /^1\. Flood waters rise in Millbrook \(Wire, 2026-11-20\)$/m);
    assert.match(
      text,
      /^ {3}also in: Millbrook flooded overnight \(Courier, 2026-11-21\) {2}corpus\/courier\.jsonl$/m,
    );
  });

  it('gives every JSON result an alsoIn array with file, title, outlet, date and link', () => {
    const json = toJson(
      { question: 'q', results: [result, { ...result, alsoIn: [] }], total: 2 },
      corpusDir,
      root,
    );
    assert.deepEqual(json.results[0]?.alsoIn, [
      {
        file: 'corpus/courier.jsonl',
        title: 'Millbrook flooded overnight',
        outlet: 'Courier',
        date: '2026-11-21',
        url: null,
      },
    ]);
    assert.deepEqual(json.results[1]?.alsoIn, []);
    assert.equal(json.results[0]?.quote, result.quote);
  });

  it('names the page of a quote from a paged document, and both pages of one that runs over a page break', () => {
    const paged = { ...result, alsoIn: [], pages: { first: 4, last: 4 } };
    const spanning = { ...result, alsoIn: [], pages: { first: 4, last: 5 } };
    const text = toText({ question: 'q', results: [paged, spanning], total: 2 }, corpusDir, root);
    assert.match(text, /^1\. Flood waters rise in Millbrook \(Wire, 2026-11-20, p\. 4\)$/m);
    assert.match(text, /^2\. Flood waters rise in Millbrook \(Wire, 2026-11-20, pp\. 4–5\)$/m);
    const json = toJson({ question: 'q', results: [paged, spanning, result], total: 3 }, corpusDir, root);
    assert.deepEqual(
      json.results.map((r) => [r.page, r.lastPage]),
      [
        [4, 4],
        [4, 5],
        [null, null],
      ],
    );
  });
});
