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

const WORD = /[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu;

/** Lower-cased, stemmed content words of a text, in order (repeats kept, for term frequencies). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    for (const term of normalizeWord(match[0])) {
      if (term.length > 0 && !STOPWORDS.has(term)) terms.push(/^\p{N}/u.test(term) ? term : stemmer(term));
    }
  }
  return terms;
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
    for (const part of normalizeWord(match[0].toLowerCase())) {
      if (part === '' || STOPWORDS.has(part)) continue;
      const term = /^\p{N}/u.test(part) ? part : stemmer(part);
      if (terms.has(term) && !found.has(term)) found.set(term, match[0]);
    }
  }
  return [...found.values()];
}
