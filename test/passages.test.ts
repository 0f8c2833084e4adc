import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseTextArticle } from '../src/corpus/text-format.js';
import { groupPassages } from '../src/ingest/passages.js';
import { segmentArticle } from '../src/ingest/segment-article.js';
import { splitSentences } from '../src/ingest/sentences.js';
import { PROJECT_ROOT, testEmbedder } from './helpers/models.js';

const texts = (body: string) => splitSentences(body).map((s) => body.slice(s.start, s.end));

describe('sentences', () => {
  it('are exact, trimmed slices of the body and never cross a line', () => {
    const body = '  First one here.  Second one?\nThird "quoted," he said. Fourth!\n\nFifth';
    const spans = splitSentences(body);
    assert.deepEqual(texts(body), [
      'First one here.',
      'Second one?',
      'Third "quoted," he said.',
      'Fourth!',
      'Fifth',
    ]);
    assert.deepEqual(
      spans.map((s) => s.paragraph),
      [0, 0, 1, 1, 2],
    );
  });

  it('do not end at abbreviations, month names or middle initials', () => {
    const body =
      'LHASA, Aug. 28 (Xinhua) -- Dr. Li met Gov. Brown in St. Louis. John F. Kennedy spoke next. Then it ended.';
    assert.deepEqual(texts(body), [
      'LHASA, Aug. 28 (Xinhua) -- Dr. Li met Gov. Brown in St. Louis.',
      'John F. Kennedy spoke next.',
      'Then it ended.',
    ]);
  });
});

describe('passages', () => {
  const limits = { targetTokens: 10, maxTokens: 20, paragraphTokens: 5 };

  it('overlap by one sentence and cover every sentence', () => {
    const passages = groupPassages([4, 4, 4, 4, 4], [0, 0, 0, 0, 0], limits);
    assert.deepEqual(passages, [
      { first: 0, last: 1 },
      { first: 1, last: 2 },
      { first: 2, last: 3 },
      { first: 3, last: 4 },
    ]);
  });

  it('stop at a paragraph end once they are long enough, and join short paragraphs', () => {
    // Paragraph 0 has 6 tokens (>= paragraphTokens): the passage stops there. Paragraphs 1 and 2 are short.
    const passages = groupPassages([3, 3, 2, 2, 2], [0, 0, 1, 2, 2], limits);
    assert.deepEqual(passages[0], { first: 0, last: 1 });
    assert.ok(
      passages.some((p) => p.first <= 2 && p.last >= 3),
      'short paragraphs 1 and 2 share a passage',
    );
    const covered = new Set(
      passages.flatMap((p) => Array.from({ length: p.last - p.first + 1 }, (_, k) => p.first + k)),
    );
    assert.equal(covered.size, 5);
  });

  it('put a sentence longer than the target in a passage of its own', () => {
    const passages = groupPassages([4, 15, 4], [0, 0, 0], limits);
    assert.deepEqual(passages, [
      { first: 0, last: 0 },
      { first: 1, last: 1 },
      { first: 2, last: 2 },
    ]);
  });

  it('fit the model and record offsets that slice the body exactly, on the shipped corpus', async () => {
    const embedder = await testEmbedder('tiny-random-bert');
    const limits = { targetTokens: 96, maxTokens: 254, paragraphTokens: 48 };
    for (const file of ['000_01192254e148cab4.txt', '002_35826060f10723de.txt', '004_1f6cc5111f6a3622.txt']) {
      const [draft] = parseTextArticle(
        await readFile(path.join(PROJECT_ROOT, 'corpus', file), 'utf8'),
        file,
      ).articles;
      assert.ok(draft);
      const article = { ...draft, id: 'x', hash: 'y' };
      const seg = segmentArticle(article, (t) => embedder.tokenize(t), limits);
      for (const [i, s] of seg.sentences.entries()) {
        const text = article.body.slice(s.start, s.end);
        assert.equal(text, text.trim());
        assert.deepEqual(seg.sentenceTokens[i], embedder.tokenize(text), 'token ids belong to the sentence');
      }
      for (const p of seg.passages) {
        const tokens = seg.sentenceTokens.slice(p.first, p.last + 1).reduce((n, ids) => n + ids.length, 0);
        assert.ok(tokens <= limits.maxTokens, `passage of ${tokens} tokens`);
      }
      assert.equal(seg.passages.at(-1)?.last, seg.sentences.length - 1, 'the last sentence is in a passage');
    }
  });

  it('cut a sentence longer than the model accepts at word boundaries', async () => {
    const embedder = await testEmbedder('tiny-random-bert');
    const body = `${Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ')}.`;
    const article = {
      id: 'x',
      hash: 'y',
      source: 'x.txt',
      title: 't',
      date: null,
      outlet: null,
      url: null,
      author: null,
      body,
    };
    const seg = segmentArticle(article, (t) => embedder.tokenize(t), {
      targetTokens: 96,
      maxTokens: 100,
      paragraphTokens: 48,
    });
    assert.ok(seg.sentences.length > 1);
    for (const [i, s] of seg.sentences.entries()) {
      assert.ok((seg.sentenceTokens[i]?.length ?? 0) <= 100);
      assert.match(
        body.slice(s.start, s.end),
        /^word\d+( word\d+)*\.?$/,
        'pieces start and end on whole words',
      );
    }
    assert.equal(seg.sentences[0]?.start, 0);
    assert.equal(seg.sentences.at(-1)?.end, body.length);
  });
});
