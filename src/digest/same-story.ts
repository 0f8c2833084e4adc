import { analyze } from '../search/terms.js';
import { dot } from '../search/vectors.js';

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

/** Groups items into stories (single link: A~B and B~C put A, B, C together), keeping the input order. */
export function groupStories<T>(items: T[], features: (item: T) => StoryFeatures): T[][] {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const f = items.map(features);
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (sameStory(f[i] as StoryFeatures, f[j] as StoryFeatures)) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, T[]>();
  items.forEach((item, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), item]);
  });
  return [...groups.values()];
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
