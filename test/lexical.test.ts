import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { topK } from '../src/store/lexical.js';
import { analyze } from '../src/text/terms.js';
import { openArchive, runIngest } from './helpers/index.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

describe('lexical selection', () => {
  it('picks the same top k as a full sort, ties in handle order', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const [n, k, levels] of [
      [5000, 100, 1000],
      [5000, 100, 7],
      [300, 500, 50],
      [1, 1, 1],
    ] as const) {
      const totals = new Float32Array(n + 10);
      const handles = Array.from({ length: n }, (_, i) => i + 5);
      for (const h of handles) totals[h] = 1 + Math.floor(random() * levels) / levels;
      const expected = [...handles]
        .sort((a, b) => (totals[b] as number) - (totals[a] as number) || a - b)
        .slice(0, k);
      assert.deepEqual(topK([...handles], k, totals), expected, `n=${n} k=${k} levels=${levels}`);
    }
  });

  it('keeps one long, repetitive article from taking every candidate slot (search poisoning)', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    // 1,500 paragraphs all saying "solar panels in Nagqu": on its own it would fill every lexical slot.
    const spam = Array.from(
      { length: 1500 },
      (_, i) => `Solar panels heat homes in Nagqu village number ${i}, and solar panels heat homes again.`,
    ).join('\n');
    await writeFile(path.join(corpus, 'spam.txt'), `Solar panels Nagqu solar panels\n\n${spam}\n`);
    await runIngest(corpus, index, 'use-static-128');
    const archive = await openArchive(index);
    const terms = analyze('solar panels heat homes in Nagqu');
    const sources = async (perArticle: number) => {
      const { hits } = await archive.lexical.search({ terms, limit: 256, perArticle });
      const count = new Map<string, number>();
      for (const h of hits) count.set(h.article.source, (count.get(h.article.source) ?? 0) + 1);
      return count;
    };
    const uncapped = await sources(Number.POSITIVE_INFINITY);
    assert.equal(uncapped.get('spam.txt'), 256, 'without a cap the spam takes every slot');
    assert.ok(!uncapped.has('002_35826060f10723de.txt'));
    const capped = await sources(4);
    assert.ok((capped.get('spam.txt') ?? 0) <= 4, 'at most 4 passages of one article');
    assert.ok(capped.has('002_35826060f10723de.txt'), 'the real article is among the candidates');
    await archive.close();
  });
});

describe('text analysis', () => {
  it('gives the same terms for a word every time, whatever a caller does with an earlier result', () => {
    const first = analyze("China's 12,000 U.S. e-mails were stopped, Mr. Wang said");
    // ("us" and "said" are stop words.)
    const expected = ['china', '12000', 'e', 'mail', 'stop', 'mr', 'wang'];
    assert.deepEqual(first, expected);
    first.push('changed');
    first[0] = 'changed';
    assert.deepEqual(analyze("China's 12,000 U.S. e-mails were stopped, Mr. Wang said"), expected);
  });
});
