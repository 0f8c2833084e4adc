import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseThreshold } from '../src/search/calibrate/fit.js';
import { fitConditionalLogit, fitLogistic, predict, solve } from '../src/search/learn/logistic.js';
import { quoteWindow } from '../src/search/pipeline/quote.js';

/** A fixed pseudo-random sequence (tests must not depend on Math.random). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('the learners', () => {
  it('solve a small linear system', () => {
    const x = solve(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    );
    assert.ok(Math.abs((x[0] as number) - 0.8) < 1e-9 && Math.abs((x[1] as number) - 1.4) < 1e-9);
  });

  it('logistic regression recovers the signs and order of known weights from sampled labels', () => {
    const next = random(7);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const row = [next() * 2 - 1, next() * 2 - 1, next() * 2 - 1];
      const p = 1 / (1 + Math.exp(-(0.5 + 3 * (row[0] as number) - 2 * (row[1] as number))));
      x.push(row);
      y.push(next() < p ? 1 : 0);
    }
    const model = fitLogistic(x, y, { l2: 0.1 });
    const [a, b, c] = model.weights as [number, number, number];
    assert.ok(a > 2 && a < 4, `weight 0 near 3, got ${a}`);
    assert.ok(b < -1 && b > -3, `weight 1 near -2, got ${b}`);
    assert.ok(Math.abs(c) < 0.5, `weight 2 near 0, got ${c}`);
    assert.ok(predict(model, [1, -1, 0]) > 0.95 && predict(model, [-1, 1, 0]) < 0.05);
  });

  it('a stronger penalty shrinks the weights', () => {
    const x = [[1], [2], [-1], [-2], [0.5], [-0.5]];
    const y = [1, 1, 0, 0, 0, 1];
    const loose = fitLogistic(x, y, { l2: 0.01 }).weights[0] as number;
    const tight = fitLogistic(x, y, { l2: 10 }).weights[0] as number;
    assert.ok(Math.abs(tight) < Math.abs(loose));
  });

  it('the conditional logit learns which feature marks the chosen row of each group', () => {
    const next = random(11);
    const groups = Array.from({ length: 300 }, () => {
      const rows = Array.from({ length: 6 }, () => [next(), next()]);
      // The chosen row is the one with the most of feature 0 (feature 1 is noise).
      let chosen = 0;
      rows.forEach((r, i) => {
        if ((r[0] as number) > ((rows[chosen] as number[])[0] as number)) chosen = i;
      });
      return { rows, chosen: new Set([chosen]) };
    });
    const [w0, w1] = fitConditionalLogit(groups, { l2: 0.01 }) as [number, number];
    assert.ok(w0 > 5, `feature 0 weighs most, got ${w0}`);
    assert.ok(Math.abs(w1) < w0 / 5, `feature 1 weighs little, got ${w1}`);
  });
});

describe('choosing the decline threshold', () => {
  it('keeps answerable questions answered at the cost of some off-topic ones (declines count triple)', () => {
    const tops = [
      ...[0.9, 0.8, 0.7, 0.6, 0.3].map((probability) => ({ probability, answerable: true })),
      ...[0.5, 0.2, 0.1, 0.05, 0.4].map((probability) => ({ probability, answerable: false })),
    ];
    const threshold = chooseThreshold(tops);
    assert.ok(threshold <= 0.3, `the answerable question at 0.3 stays answered (threshold ${threshold})`);
    assert.ok(threshold > 0.2, `off-topic questions below it are declined (threshold ${threshold})`);
  });
});

describe('the quote window', () => {
  const spans = [0, 50, 51, 100, 101, 150, 151, 200, 201, 250];
  it('is the likeliest sentence, with a neighbour the model finds likely too', () => {
    const w = quoteWindow([0, 3, 2.9, 0, 0], spans, 3, { neighbourGain: 0.2, maxQuoteChars: 700 });
    assert.deepEqual([w.anchor, w.first, w.last], [1, 1, 2]);
  });
  it('stays one sentence when no neighbour is likely enough or the quote would be too long', () => {
    const alone = quoteWindow([0, 5, 0, 0, 0], spans, 3, { neighbourGain: 0.2, maxQuoteChars: 700 });
    assert.deepEqual([alone.first, alone.last], [1, 1]);
    const short = quoteWindow([0, 3, 2.9, 0, 0], spans, 3, { neighbourGain: 0.2, maxQuoteChars: 60 });
    assert.deepEqual([short.first, short.last], [1, 1]);
  });
});
