import { analyze, isNumberTerm } from '../../text/terms.js';
import type { RelevanceParams } from './params.js';
import type { QuestionProfile } from './question.js';

/**
 * The parts of a question an article must hold to answer it: the numbers the question gives (a year, a
 * figure, of two digits or more), its rare names (people, companies, places, products) and its names of several words whole
 * ("Six Nations", "Wayne Rooney"). An article that shares the question's common words, or one word of a
 * name, but not "2014", "Instagram" or "The Hague" reports another event.
 */
export type RequiredPart =
  /**
   * A number, which must stand near another of the question's words (in its sentence or the next or
   * previous one): "2010" in "sales will double by 2010" does not make an article about computers
   * answer a question about the 2010 election.
   */
  | { kind: 'number'; term: string }
  /** A name (or a word of one), held when the article uses it or another spelling of it (`timewarner`). */
  | { kind: 'name'; term: string; spellings: string[][] }
  /**
   * A name with a number that belongs to it ("PlayStation 4", "Channel 4"): the article must write them
   * together, `terms` in a row in one sentence. An article about the PlayStation Portable that holds a 4
   * somewhere does not answer a question about the PlayStation 4.
   */
  | { kind: 'numbered name'; term: string; terms: string[] };

/** What the check needs to know about one article. */
export interface ArticleTest {
  /** Whether the article (title or text) uses an analysed term. */
  holds: (term: string) => boolean;
  /** Whether a sentence holds `term` and it or a neighbouring sentence one of `others`. */
  nearWords: (term: string, others: ReadonlySet<string>) => boolean;
  /** Whether a sentence holds `terms` one right after another (analysed, stop words left out). */
  inRow: (terms: readonly string[]) => boolean;
}

/**
 * The parts of `question` an answering article must hold. `idf` gives a term's rarity in the archive
 * (BM25's inverse document frequency over its `passages`).
 */
export function requiredParts(
  question: string,
  profile: QuestionProfile,
  idf: (term: string) => number,
  passages: number,
  params: RelevanceParams['required'],
  /** Whether a word of the question is a name (default: the asker capitalised it). */
  isName: (word: string, index: number) => boolean = (word, index) => index > 0 && /\p{Lu}/u.test(word),
): RequiredPart[] {
  // A name counts as rare when few passages use it (in a small archive only the rarest: it names few things).
  const df = Math.max(params.rareNamePassages, params.rareNameShare * passages);
  const rareIdf = Math.log(1 + (passages - df + 0.5) / (df + 0.5));
  const spellingsOf = (terms: string[]) =>
    profile.spellings.filter((s) => s.from.some((t) => terms.includes(t))).map((s) => s.to);
  // A single digit ("round 3", a "(2)" typed after a question) is too common to tell an event apart.
  const parts: RequiredPart[] = profile.terms
    .filter((term) => isNumberTerm(term) && /\d.*\d/.test(term))
    .map((term) => ({ kind: 'number', term }));
  const words = [...question.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)].map((m) => m[0]);
  const name = (i: number) => i < words.length && isName(words[i] as string, i);
  for (let i = 0; i < words.length; i++) {
    if (!name(i)) continue;
    let last = i;
    // A name runs on over the words of names, and over "of" between two ("Bank of England").
    for (;;) {
      if (name(last + 1)) last++;
      else if (words[last + 1]?.toLowerCase() === 'of' && name(last + 2)) last += 2;
      else break;
    }
    const terms = words.slice(i, last + 1).flatMap((w) => analyze(w));
    // A rare name must be there; a name of several words ("Six Nations", "Wayne Rooney") whole.
    for (const term of terms)
      if (terms.length > 1 || idf(term) >= rareIdf)
        parts.push({ kind: 'name', term, spellings: spellingsOf([term]) });
    // A number written right after a name is part of it: "PlayStation 4", "Windows 95".
    const numbered = analyze(words[last + 1] ?? '');
    if (/^\p{N}+$/u.test(words[last + 1] ?? '') && numbered.length === 1 && terms.length > 0)
      parts.push({
        kind: 'numbered name',
        term: `${terms.at(-1)} ${numbered[0]}`,
        terms: [terms.at(-1) as string, numbered[0] as string],
      });
    i = last;
  }
  return parts;
}

/** The required parts an article does not hold (none when it holds them all). */
export function missingParts(
  parts: readonly RequiredPart[],
  article: ArticleTest,
  questionTerms: readonly string[],
): RequiredPart[] {
  const spelledOtherwise = (spellings: string[][]) => spellings.some((s) => s.every(article.holds));
  return parts.filter((part) => {
    switch (part.kind) {
      case 'number': {
        const others = new Set(questionTerms.filter((t) => t !== part.term && !isNumberTerm(t)));
        return !article.holds(part.term) || (others.size > 0 && !article.nearWords(part.term, others));
      }
      case 'name':
        return !article.holds(part.term) && !spelledOtherwise(part.spellings);
      case 'numbered name':
        return !part.terms.every(article.holds) || !article.inRow(part.terms);
    }
    return false;
  });
}
