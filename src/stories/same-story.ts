import { analyze } from '../text/terms.js';
import { dot } from '../vectors/vectors.js';

/** What decides whether two articles report the same story. */
export interface StoryFeatures {
  title: string;
  lead: string;
  date: string | null;
  /** The article's meaning as a unit vector, when known. */
  vector: Float32Array | null;
}

/** Titles sharing this share of their content words are the same story. */
export const SAME_TITLE = 0.6;
/** Copies sharing this share of the words of title and lead are the same story, whatever their meaning vectors. */
export const SAME_TEXT = 0.6;
/** Articles whose vectors are this close are the same story, if they also share some words (below). */
export const SAME_MEANING = 0.9;
/** The words two "very close" articles must share, so that a model finding everything alike merges nothing. */
export const SHARED_WORDS = 0.2;
/** Reports of one story appear within a few days of each other. */
export const MAX_DAYS_APART = 3;

/**
 * The rule for grouping one story from several outlets: published within three days of each other (or
 * undated), no conflicting numbers in the titles, and either near-identical titles (at least 60% of their
 * content words shared), or near-identical title and lead (at least 60% of their words, a copy under
 * another headline) with the same names, or very close embeddings (cosine ≥ 0.9) together with at least
 * 20% of the words of title and lead shared and the same names (people, places) where both name any.
 */
export function sameStory(a: StoryFeatures, b: StoryFeatures): boolean {
  if (a.date && b.date && Math.abs(Date.parse(a.date) - Date.parse(b.date)) > MAX_DAYS_APART * 86_400_000)
    return false;
  const x = wordsOf(a);
  const y = wordsOf(b);
  // "Survey 3 …" and "Survey 4 …" are different reports however alike the rest of the title is.
  if (!sameNumbers(x.title, y.title)) return false;
  if (jaccard(x.title, y.title) >= SAME_TITLE) return true;
  // A syndicated copy under another headline: the same opening words, about the same people and places.
  if (jaccard(x.titleAndLead, y.titleAndLead) >= SAME_TEXT && sameNames(x.names, y.names)) return true;
  if (!a.vector || !b.vector) return false;
  return (
    dot(a.vector, b.vector) >= SAME_MEANING &&
    jaccard(x.titleAndLead, y.titleAndLead) >= SHARED_WORDS &&
    sameNames(x.names, y.names)
  );
}

/** The analysed words of a story, worked out once per features object (groups compare every pair). */
interface StoryWords {
  title: string[];
  titleAndLead: string[];
  names: Set<string>;
}

const analysed = new WeakMap<StoryFeatures, StoryWords>();

function wordsOf(features: StoryFeatures): StoryWords {
  let words = analysed.get(features);
  if (!words) {
    words = {
      title: analyze(features.title),
      titleAndLead: analyze(`${features.title} ${features.lead}`),
      names: names(`${features.title}. ${features.lead}`),
    };
    analysed.set(features, words);
  }
  return words;
}

/**
 * Templated reports ("In Ashford, the bridge closed…", "In Brambleton, the library…") look alike to a model;
 * the names they mention tell them apart. When both name someone or somewhere, at least half of the names
 * of the one naming fewer must recur in the other.
 */
function sameNames(x: Set<string>, y: Set<string>): boolean {
  if (x.size === 0 || y.size === 0) return true;
  let shared = 0;
  for (const n of x) if (y.has(n)) shared++;
  return shared * 2 >= Math.min(x.size, y.size);
}

/** Capitalised words that do not open a sentence: the names in a text, lower-cased. */
function names(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?<![.!?]\s|^)\b([A-Z][\p{L}'’-]+)/gu)) {
    const word = (m[1] as string).toLowerCase();
    if (analyze(word).length > 0 && !WEEKDAYS_MONTHS.has(word)) found.add(word);
  }
  return found;
}

const WEEKDAYS_MONTHS = new Set(
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(
    ' ',
  ),
);

/** Work done between two yields to the event loop (one same-story comparison is one unit)… */
const UNITS_PER_SLICE = 2_000;
/** …or less, once a slice has run this long: a comparison costs from a few to hundreds of microseconds. */
const SLICE_MS = 10;
/** Reading an item's features (its vector, its words) counts as this many units. */
const UNITS_PER_ITEM = 20;

export interface GroupingOptions {
  /** Told the work done after each slice (for progress; the tests move their clock with it). */
  onWork?: (units: number) => void;
}

/** Groups items into stories (single link: A~B and B~C put A, B, C together), keeping the input order. */
export function groupStories<T>(items: T[], features: (item: T) => StoryFeatures): T[][] {
  const steps = groupingSteps(items, features);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same grouping in slices of bounded work (at most UNITS_PER_SLICE units, or about SLICE_MS), with the
 * event loop free between them, so that thousands of articles do not keep every other interaction waiting.
 */
export async function groupStoriesInSlices<T>(
  items: T[],
  features: (item: T) => StoryFeatures,
  options: GroupingOptions = {},
): Promise<T[][]> {
  const steps = groupingSteps(items, features);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    options.onWork?.(step.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * The grouping as a generator that yields the units of work done, slice by slice. Only pairs that can
 * pass `sameStory` are compared: each of its ways to join two articles needs shared words (titles that
 * share at least SAME_TITLE of their words, or title and lead that share at least SHARED_WORDS), so the
 * candidates come from an index of title and lead terms. Prefix filtering keeps that index small and
 * exact: with each set's terms sorted rarest first, two sets whose Jaccard similarity reaches t share a
 * term among the first |x| - ceil(t·|x|) + 1 of each. A rule that joined articles sharing no word would
 * need this blocking changed (the tests compare it with all pairs).
 */
function* groupingSteps<T>(items: T[], features: (item: T) => StoryFeatures): Generator<number, T[][], void> {
  let units = 0;
  let sliceStart = performance.now();
  const sliceDone = () => units >= UNITS_PER_SLICE || performance.now() - sliceStart >= SLICE_MS;
  const f: StoryFeatures[] = [];
  const titles: Array<Set<string>> = [];
  const texts: Array<Set<string>> = [];
  for (const item of items) {
    const x = features(item);
    f.push(x);
    titles.push(new Set(analyze(x.title)));
    texts.push(new Set(analyze(`${x.title} ${x.lead}`)));
    units += UNITS_PER_ITEM;
    if (sliceDone()) {
      yield units;
      units = 0;
      sliceStart = performance.now();
    }
  }
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const compared = new Set<number>();
  for (const [sets, threshold] of [
    [titles, SAME_TITLE],
    [texts, SHARED_WORDS],
  ] as const) {
    for (const [j, i] of candidatePairs(sets, threshold)) {
      units++;
      const key = j * items.length + i;
      if (!compared.has(key)) {
        compared.add(key);
        // Already one story through another link: comparing would change nothing.
        if (find(i) !== find(j)) {
          units++;
          if (sameStory(f[j] as StoryFeatures, f[i] as StoryFeatures)) parent[find(i)] = find(j);
        }
      }
      if (sliceDone()) {
        yield units;
        units = 0;
        sliceStart = performance.now();
      }
    }
  }
  if (units > 0) yield units;
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(item);
    else groups.set(root, [item]);
  });
  return [...groups.values()];
}

/** Pairs [j, i] (j < i) of sets that may reach Jaccard similarity `threshold` (prefix filtering). */
function* candidatePairs(sets: Array<Set<string>>, threshold: number): Generator<[number, number]> {
  const frequency = new Map<string, number>();
  for (const set of sets) for (const term of set) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const rarestFirst = (a: string, b: string) =>
    (frequency.get(a) as number) - (frequency.get(b) as number) || (a < b ? -1 : a > b ? 1 : 0);
  const index = new Map<string, number[]>();
  const lastSeen = new Int32Array(sets.length).fill(-1);
  for (const [i, set] of sets.entries()) {
    if (set.size === 0) continue;
    const terms = [...set].sort(rarestFirst);
    // The epsilon keeps a product such as 0.6 × 5 from rounding up past 3, which would shorten the prefix.
    const prefix = terms.length - Math.ceil(threshold * terms.length - 1e-9) + 1;
    for (const term of terms.slice(0, prefix)) {
      const holders = index.get(term) ?? [];
      if (holders.length === 0) index.set(term, holders);
      for (const j of holders) {
        if (lastSeen[j] === i) continue;
        lastSeen[j] = i;
        yield [j, i];
      }
      holders.push(i);
    }
  }
}

function sameNumbers(a: string[], b: string[]): boolean {
  const numbers = (terms: string[]) => new Set(terms.filter((t) => /^\d/.test(t)));
  const x = numbers(a);
  const y = numbers(b);
  if (x.size === 0 || y.size === 0) return true;
  return x.size === y.size && [...x].every((n) => y.has(n));
}

function jaccard(a: string[], b: string[]): number {
  const x = new Set(a);
  const y = new Set(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / (x.size + y.size - shared);
}
