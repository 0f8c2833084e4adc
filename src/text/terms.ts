import { stemmer } from 'stemmer';

/**
 * Words that carry no topic: English function words plus the words questions are phrased with
 * ("what did ... say about"), which would otherwise match every passage a little.
 */
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having he ' +
    'her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not ' +
    'of off on once only or other our ours ourselves out over own same she should so some such than that the their ' +
    'theirs them themselves then there these they this those through to too under until up very was we were what ' +
    'when where which while who whom why will with would you your yours yourself yourselves ' +
    'said say says tell told according whether anything something thing things many much ' +
    'ever get got give given kind way ways per via shall may might must us let'
  ).split(' '),
);

/**
 * Version of the analysis below (stop words, stemming, word splitting). The lexical index is built with it:
 * bump it when the analysis changes and the next ingest rebuilds the index.
 */
export const LEXICON_VERSION = 1;

/**
 * Words that are not stop words but say nothing about a topic on their own, as stems: common verbs and
 * the nouns questions are phrased with ("what does it use", "how did it happen"). They still count in
 * retrieval; a relevance note does not name them as the words a quote shares with the question.
 */
const GENERIC = new Set(
  (
    'use make take get go come know want need think see look find mean happen call give put keep set seem ' +
    'show start turn try ask work part time year day week month new old good big small first last next ' +
    'other same number date name kind type level best top high low great major win won lose lost'
  )
    .split(' ')
    .map((word) => stemmer(word)),
);
/** A term in more than this share of the archive's passages is too common to name in a relevance note. */
const COMMON_SHARE = 0.25;

/** A word that says nothing about a topic on its own ("use", "best", "won"; see GENERIC). */
export function isGeneric(term: string): boolean {
  return GENERIC.has(term);
}

/**
 * Whether a term tells something about a topic: not a generic word, and not in more than a quarter of the
 * archive's passages (`idf` is BM25's over `passages`).
 */
export function isInformative(term: string, idf: (term: string) => number, passages: number): boolean {
  if (GENERIC.has(term)) return false;
  const df = COMMON_SHARE * passages;
  return idf(term) >= Math.log(1 + (passages - df + 0.5) / (df + 0.5));
}

const WORD = /[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu;

/** Lower-cased, stemmed content words of a text, in order (repeats kept, for term frequencies). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) terms.push(...analyzeWord(match[0]));
  return terms;
}

/**
 * The terms of one lower-cased word. A language uses few words many times, so each word's terms are worked
 * out once and kept (normalising and stemming were most of the cost of reading an article's sentences).
 */
function analyzeWord(word: string): readonly string[] {
  let terms = WORD_TERMS.get(word);
  if (terms === undefined) {
    const made: string[] = [];
    for (const part of normalizeWord(word)) {
      if (part.length > 0 && !STOPWORDS.has(part)) made.push(isNumberTerm(part) ? part : stemmer(part));
    }
    terms = made;
    // Bounded: an archive of numbers and names could otherwise grow it without end.
    if (WORD_TERMS.size >= WORD_TERMS_LIMIT) WORD_TERMS.clear();
    WORD_TERMS.set(word, terms);
  }
  return terms;
}

const WORD_TERMS = new Map<string, readonly string[]>();
const WORD_TERMS_LIMIT = 200_000;

/** A number (`2004`, `12000`, `1.4`) rather than a word. */
export function isNumberTerm(term: string): boolean {
  return /^\p{N}/u.test(term);
}

/** `china's` → `china`; `12,000` → `12000`; `u.s.` → `us`; other punctuation splits words. */
function normalizeWord(word: string): string[] {
  const bare = word.replace(/['’]s$/, '').replace(/['’]/g, '');
  if (/^\p{N}[\p{N},.]*$/u.test(bare)) return [bare.replace(/,/g, '')];
  if (/^(?:\p{L}\.)+\p{L}?$/u.test(bare)) return [bare.replace(/\./g, '')];
  return bare.split(/[.,]/);
}

/** The words of `text` (as written) whose analysed form is in `terms`, each once, in order. */
export function wordsMatching(text: string, terms: ReadonlySet<string>): string[] {
  const found = new Map<string, string>();
  for (const match of text.matchAll(WORD)) {
    for (const term of analyzeWord(match[0].toLowerCase())) {
      if (terms.has(term) && !found.has(term)) found.set(term, match[0]);
    }
  }
  return [...found.values()];
}
