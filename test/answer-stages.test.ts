import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { holdsAnswer, readBank, splitOf } from '../src/search/calibrate/bank.js';
import { answerSentences } from '../src/search/calibrate/fit.js';
import { paramsFileName } from '../src/search/params-store.js';
import { answerProbability, decide, strengthOf } from '../src/search/pipeline/decide.js';
import { ARTICLE_FEATURES, DEFAULT_PARAMS, readParamsFile } from '../src/search/pipeline/params.js';

const decideParams = { threshold: 0.5, usefulnessFloor: 0.3, strong: 0.8, good: 0.6 };

describe('the decide stage', () => {
  it('answers when the best article is likely enough, and shows only the useful others', () => {
    const ranked = [{ probability: 0.7 }, { probability: 0.4 }, { probability: 0.2 }];
    assert.deepEqual(decide(ranked, decideParams), [{ probability: 0.7 }, { probability: 0.4 }]);
  });
  it('declines when the best article is below the threshold', () => {
    assert.deepEqual(decide([{ probability: 0.49 }, { probability: 0.45 }], decideParams), []);
    assert.deepEqual(decide([], decideParams), []);
  });
  it('names the strength from the probability', () => {
    assert.equal(strengthOf(0.9, decideParams), 'Strong match');
    assert.equal(strengthOf(0.65, decideParams), 'Good match');
    assert.equal(strengthOf(0.35, decideParams), 'Possible match');
  });
  it('scores an article by its weighted features through the logistic function', () => {
    const features = Object.fromEntries(ARTICLE_FEATURES.map((k) => [k, 0])) as Record<
      (typeof ARTICLE_FEATURES)[number],
      number
    >;
    const params = { ...DEFAULT_PARAMS.article, bias: 0 };
    assert.equal(answerProbability(features, params), 0.5);
    const missing = answerProbability(
      { ...features, missing: 1 },
      { ...params, weights: { ...params.weights, missing: -2 } },
    );
    assert.ok(Math.abs(missing - 1 / (1 + Math.exp(2))) < 1e-12);
  });
});

describe('parameters', () => {
  it('a parameters file with a bad field is refused, naming the file and the field', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'params-'));
    const file = path.join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ ...DEFAULT_PARAMS, decide: { ...DEFAULT_PARAMS.decide, threshold: 2 } }),
    );
    await assert.rejects(readParamsFile(file), /bad\.json are not valid: decide\.threshold/);
    await writeFile(file, '{ not json');
    await assert.rejects(readParamsFile(file), /Cannot read relevance parameters from .*bad\.json/);
  });
  it('a model folder or Hub id names its parameters file', () => {
    assert.equal(paramsFileName('Xenova/all-MiniLM-L6-v2'), 'all-minilm-l6-v2.json');
    assert.equal(paramsFileName('/models/use-static-128/'), 'use-static-128.json');
  });
});

describe('the question bank', () => {
  it('splits by article: every question on one article falls in the same part, the same each time', () => {
    assert.equal(splitOf('BBC:business/001.txt'), splitOf('BBC:business/001.txt'));
    const parts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const split = splitOf(`A:${i}.txt`);
      parts.set(split, (parts.get(split) ?? 0) + 1);
    }
    // About half, three tenths and a fifth.
    assert.ok(Math.abs((parts.get('dev') ?? 0) - 1000) < 100);
    assert.ok(Math.abs((parts.get('held-out') ?? 0) - 600) < 90);
    assert.ok(Math.abs((parts.get('sealed') ?? 0) - 400) < 80);
  });
  it('reads a bank, finding the articles of a question written without files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bank-'));
    await mkdir(path.join(dir, 'corpus'));
    await writeFile(
      path.join(dir, 'q.jsonl'),
      [
        JSON.stringify({ q: 'How many?', files: [], answer: ['twelve  Boats'] }),
        JSON.stringify({ q: 'Off?', files: [], answer: null }),
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'bank.json'),
      JSON.stringify({ archives: [{ name: 'A', corpus: 'corpus', questions: ['q.jsonl'] }] }),
    );
    const texts = new Map([
      ['a.txt', 'They built twelve boats.'],
      ['b.txt', 'Nothing here.'],
    ]);
    const [archive] = await readBank(path.join(dir, 'bank.json'), async () => texts);
    assert.deepEqual(
      archive?.questions.map((q) => [q.files, q.answers]),
      [
        [['a.txt'], ['twelve  Boats']],
        [[], null],
      ],
    );
  });
  it('an answer is held whatever its case and spacing; the sentences holding it are found', () => {
    assert.ok(holdsAnswer('They built Twelve\nboats.', ['twelve boats']));
    assert.ok(!holdsAnswer('They built eleven boats.', ['twelve boats']));
    const body = 'One sentence. They built twelve boats. Another.';
    assert.deepEqual([...answerSentences(body, [0, 13, 14, 38, 39, 47], ['twelve boats'])], [1]);
  });
});
