import { analyze } from '../../text/terms.js';

/**
 * What a question asks for, read from its wording: an amount or count ("how much", "how many"), a date
 * ("when"), a name ("who", "which company"), a place ("where") or somebody's words ("what did X say").
 * A sentence that answers holds something of that kind that the question does not already hold. "How does
 * X compare with Y" asks for a comparison ("9% smaller than Y").
 */
export type AnswerKind = 'quantity' | 'date' | 'name' | 'place' | 'quote' | 'comparison';

/** A question as the search reads it. Pure data, computed once per question. */
export interface QuestionProfile {
  /** Distinct analysed terms (stemmed content words and numbers), in order. */
  terms: string[];
  /**
   * Other spellings of the question's words as one word or two: "Time Warner" also matches
   * `TimeWarner`, "email" also matches `e-mail`. Each maps terms as the question writes them to the
   * terms of the other spelling.
   */
  spellings: Spelling[];
  /** What the question asks for, when its wording says. */
  kind: AnswerKind | null;
  /** For quantities, what unit the wording points to. */
  unit: QuantityUnit | null;
  /** The question's own text, lower-cased. */
  lowered: string;
  /** The question's words, lower-cased, and their analysed forms: what a sentence repeats, not adds. */
  words: ReadonlySet<string>;
  /** Numbers the question gives (`2004`, `23`, `1.4`), digits only. */
  numbers: ReadonlySet<string>;
  /** What is counted in "how many jobs …": the answer's number stands next to it ("400,000 jobs"). */
  counted: string | null;
  /** It asks how somebody replied (or responded, reacted): the answer follows what they replied to. */
  asksReply: boolean;
  /** It asks for several names ("which film studios", "which places"): the answer lists them. */
  asksSeveral: boolean;
  /** "What does Raw T stand for": the letters (`rawt`) whose words the answer spells out. */
  abbreviation: string | null;
}

export type QuantityUnit = 'money' | 'share' | 'duration' | 'age' | 'score' | 'speed' | 'count';

/** `from` as the question writes it, `to` as an article may write it. */
export interface Spelling {
  from: string[];
  to: string[];
}

const QUANTITY =
  /\b(?:how (?:much|many|big|large|high|low|fast|far|old|long|often|heavy|tall|deep)|by what (?:margin|majority|score)|what (?:\w+ ){0,2}(?:percentage|proportion|share|amount|sum|figure|score|level|rate|price|speed|value|total|number|time|cost))\b/;
const DATE =
  /^(?:\w+ ){0,3}?(?:when|on what (?:date|day)|what (?:date|day|year)|in what (?:year|month)|which (?:year|month|day|date)|by when)\b/;
const QUOTE =
  /\b(?:what did .{1,80} (?:say|tell|reply|warn|add|write|call|describe)|how did .{1,80} (?:describe|reply|respond|react|answer)|what was .{1,60} (?:reply|response|message|verdict|warning))\b/;
const COMPARISON = /\bhow (?:does|did|do|will|would|has|have) .{1,80} compare\b/;
const PLACE = /^(?:\w+ ){0,3}?(?:where|in which (?:city|country|town|county|region|place|venue))\b/;
const NAME =
  /^(?:\w+ ){0,3}?(?:who|whom|whose|which|what (?:company|firm|band|group|film|album|team|club|title|name)|what (?:is|are|was|were) (?:\w+ ){0,5}called|what (?:is|was) the name|what does .{1,60} stand for)\b/;

/**
 * Prefixes written with or without a hyphen ("e-mail"/"email", "co-founder"/"cofounder"); only these are
 * split off, since splitting a word anywhere finds `deep` + `water` in an unknown name.
 */
const HYPHEN_PREFIXES = ['e', 'co', 'non', 'pre'];

/** Words of a question about an amount of money. */
const MONEY_WORDS =
  /\b(?:cost|costs|pay|paid|paying|price|worth|spend|spent|raise|raised|fine|fined|claim|claiming|loss|losses|profit|profits|sales|revenue|turnover|charge|charges|bail|money|invest|invested|earn|earned|bid|deal|pledge|pledged|compensation|damages|debt|debts|deficit|surplus|budget|reserves|award|sue|sued|suing|seeking|set aside|salary|fee|fees|value|valued)\b/;

/** Reads a question's terms, other spellings and expected kind of answer. */
export function profileQuestion(question: string, knownTerm: (term: string) => boolean): QuestionProfile {
  const lowered = question.toLowerCase();
  const kind = answerKind(lowered);
  const terms = [...new Set(analyze(question))];
  const raw = [...lowered.matchAll(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu)].map((m) => m[0].replace(/,/g, ''));
  return {
    terms,
    spellings: otherSpellings(question, knownTerm),
    kind,
    unit: kind === 'quantity' ? quantityUnit(lowered) : null,
    lowered,
    words: new Set([...raw, ...terms]),
    numbers: new Set(raw.filter((w) => /^\p{N}/u.test(w))),
    counted: analyze(/\bhow many ([\p{L}-]+)/u.exec(lowered)?.[1] ?? '')[0] ?? null,
    asksReply: kind === 'quote' && /\b(?:reply|respond|react|answer|retort)\b/.test(lowered),
    asksSeveral: kind === 'name' && asksSeveral(lowered),
    abbreviation: kind === 'name' ? abbreviation(question) : null,
  };
}

/** The capitalised name before "stand for", as letters: "What does the rap act Raw T stand for?" → `rawt`. */
function abbreviation(question: string): string | null {
  const asked = /\bdoes (.{1,60}?) stand for\b/i.exec(question)?.[1] ?? '';
  const name = /(?:^|\s)((?:\p{Lu}[\p{L}\p{N}.&-]*\s?)+)$/u.exec(asked)?.[1] ?? '';
  const letters = name.toLowerCase().replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters.length <= 8 ? letters : null;
}

const AUXILIARY = /^(?:did|does|do|has|have|had|is|are|was|were|will|would|could|can|should|may|might)$/;

/** "Which film studios chose …", "which places did …": a plural noun right after "which" or "what". */
function asksSeveral(lowered: string): boolean {
  const after = /^(?:\w+ ){0,3}?(?:which|what) ((?:[\p{L}-]+ ?){1,3})/u.exec(lowered)?.[1] ?? '';
  for (const word of after.trim().split(' ').slice(0, 3)) {
    if (AUXILIARY.test(word)) return false;
    if (/[^su]s$/.test(word)) return true;
  }
  return false;
}

/** The kind of answer the wording asks for (null for "what", "why", "how" questions of other shapes). */
export function answerKind(lowered: string): AnswerKind | null {
  if (QUOTE.test(lowered)) return 'quote';
  if (COMPARISON.test(lowered)) return 'comparison';
  if (QUANTITY.test(lowered)) return 'quantity';
  if (DATE.test(lowered)) return 'date';
  if (PLACE.test(lowered)) return 'place';
  if (NAME.test(lowered)) return 'name';
  return null;
}

function quantityUnit(lowered: string): QuantityUnit | null {
  if (/\bhow old\b|\bwhat age\b/.test(lowered)) return 'age';
  if (/\b(?:how long|for how long|how many (?:years|months|weeks|days|hours|minutes))\b/.test(lowered))
    return 'duration';
  if (/\bscore\b|\bby what margin\b/.test(lowered)) return 'score';
  if (/\bhow fast\b|\bwhat speed\b/.test(lowered)) return 'speed';
  if (/\b(?:percentage|proportion|by how much|what rate|what share|market share)\b/.test(lowered))
    return 'share';
  if (/\bhow many\b/.test(lowered)) return 'count';
  // "How much did it cost", "how big was the deficit": an amount of money.
  if (MONEY_WORDS.test(lowered)) return 'money';
  return null;
}

/**
 * Spellings an article may use for the question's words: two adjacent words written as one
 * ("Time Warner" → `timewarner`), and a word written with a hyphen after a common prefix ("email" →
 * `e-mail`). Only spellings the archive actually uses (`knownTerm`) are kept.
 */
export function otherSpellings(question: string, knownTerm: (term: string) => boolean): Spelling[] {
  // Words as the analyser reads them (so "Umbro's" is one word), without a possessive ending.
  const words = [...question.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)].map((m) =>
    m[0].replace(/['’]s$/u, ''),
  );
  const spellings: Spelling[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const from = [...analyze(words[i] as string), ...analyze(words[i + 1] as string)];
    if (from.length !== 2) continue;
    const joined = analyze(`${words[i]}${words[i + 1]}`);
    if (joined.length === 1 && knownTerm(joined[0] as string)) spellings.push({ from, to: joined });
  }
  for (const word of words) {
    const from = analyze(word);
    const prefix = HYPHEN_PREFIXES.find(
      (p) => word.toLowerCase().startsWith(p) && word.length >= p.length + 4,
    );
    if (from.length !== 1 || !prefix) continue;
    // "email" may be written "e-mail", which the analyser reads as `e` + `mail`.
    const to = [prefix, ...analyze(word.slice(prefix.length))];
    if (to.length === 2 && (to[1] as string).length >= 3 && to.every(knownTerm)) spellings.push({ from, to });
  }
  return spellings;
}

/**
 * The question's terms that a text (given as its analysed terms) holds, counting a term as held when the
 * text writes it another way (`TimeWarner` for "Time Warner").
 */
export function matchedQuestionTerms(textTerms: Iterable<string>, question: QuestionProfile): string[] {
  const present = textTerms instanceof Set ? (textTerms as Set<string>) : new Set(textTerms);
  const found = question.terms.filter((t) => present.has(t));
  for (const { from, to } of question.spellings) {
    if (to.every((t) => present.has(t))) for (const t of from) if (!found.includes(t)) found.push(t);
  }
  return found;
}
