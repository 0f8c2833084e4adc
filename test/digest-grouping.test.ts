import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  groupStories,
  groupStoriesInSlices,
  type StoryFeatures,
  sameStory,
} from '../src/stories/same-story.js';
import { normalize } from '../src/vectors/vectors.js';

/** A small deterministic generator, so the data is the same on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every pair compared, as the grouping did before it was blocked: the reference. */
function allPairs(items: StoryFeatures[]): StoryFeatures[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : find(parent[i] as number));
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      if (sameStory(items[i] as StoryFeatures, items[j] as StoryFeatures)) parent[find(j)] = find(i);
  const groups = new Map<number, StoryFeatures[]>();
  for (const [i, item] of items.entries()) groups.set(find(i), [...(groups.get(find(i)) ?? []), item]);
  return [...groups.values()];
}

/** Articles of a few dozen stories retold with reworded titles, shared leads and close vectors. */
function corpus(n: number, seed: number): StoryFeatures[] {
  const next = random(seed);
  const words =
    'flood river harbour council budget school library minister election storm bridge railway museum hospital strike factory court village mayor police fire market port ferry farm drought'.split(
      ' ',
    );
  const places = 'Millbrook Ashford Caldmoor Dunmere Eastwick Fernhill Glenrock Harrowgate'.split(' ');
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)] as T;
  const stories = Array.from({ length: Math.ceil(n / 4) }, () => {
    const topic = [pick(words), pick(words), pick(words)];
    const place = pick(places);
    const vector = normalize(Float32Array.from({ length: 16 }, () => next() - 0.5));
    return { topic, place, vector };
  });
  return Array.from({ length: n }, () => {
    const story = pick(stories);
    const extra = pick(words);
    const title =
      next() < 0.5
        ? `${story.topic.join(' ')} in ${story.place}`
        : `${story.place} ${story.topic[0]} ${extra} ${story.topic[1]}`;
    const vector = normalize(story.vector.map((v) => v + (next() - 0.5) * 0.1));
    const day = 10 + Math.floor(next() * 8);
    return {
      title,
      lead: `In ${story.place}, the ${story.topic.join(' and ')} ${extra} was reported by ${pick(places)} officials.`,
      date: next() < 0.1 ? null : `2026-03-${day}`,
      vector: next() < 0.1 ? null : vector,
    };
  });
}

describe('grouping stories', () => {
  it('finds exactly the stories that comparing every pair finds, on varied data', async () => {
    for (const seed of [1, 2, 3]) {
      const items = corpus(120, seed);
      const expected = allPairs(items);
      assert.ok(
        expected.some((g) => g.length > 1),
        'the data holds stories told more than once',
      );
      assert.deepEqual(
        groupStories(items, (x) => x),
        expected,
        `seed ${seed}`,
      );
      assert.deepEqual(await groupStoriesInSlices(items, (x) => x), expected, `seed ${seed}, in slices`);
    }
  });

  it('leaves the event loop free between bounded slices of work', async () => {
    // Templated titles share their common words, so blocking cannot prune: every pair is compared.
    const items = Array.from({ length: 150 }, (_, i) => ({
      title: `Harbour report ${i}`,
      lead: `The harbour authority reported ${i} ships.`,
      date: '2026-03-10',
      vector: null,
    }));
    const slices: number[] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    let ticksAtSlices = 0;
    const groups = await groupStoriesInSlices(items, (x) => x, {
      onWork: (units) => {
        slices.push(units);
        ticksAtSlices = ticks;
      },
    });
    clearInterval(ticker);
    assert.equal(groups.length, 150);
    assert.ok(slices.length > 5, `${slices.length} slices`);
    assert.ok(Math.max(...slices) <= 2_100, `slices of bounded work (largest ${Math.max(...slices)})`);
    assert.ok(ticksAtSlices > 0, 'timers ran while the grouping was under way');
  });
});
