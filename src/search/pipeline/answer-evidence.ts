import { analyze } from '../../text/terms.js';
import type { QuantityUnit, QuestionProfile } from './question.js';

/**
 * How plainly a sentence holds what the question asks for, beyond what the question already says (0–1).
 * The sentence must hold something of the asked-for kind that the question does not: an amount for "how
 * much", a date for "when", a name for "who" or "which", a place for "where", somebody's own words for
 * "what did X say". It counts more when it has the right form (money for "how much did it cost", two
 * capitalised words for a person) and most when it stands next to one of the question's words ("400,000
 * jobs" for "how many jobs"). 0 when the question's wording does not say what it asks for. Pure.
 */
export function answerEvidence(sentence: string, question: QuestionProfile): number {
  if (!question.kind) return 0;
  const tokens = tokenize(sentence, question);
  switch (question.kind) {
    case 'quantity':
      return quantityEvidence(tokens, sentence, question);
    case 'date':
      return dateEvidence(tokens, sentence);
    case 'name':
      // What an abbreviation stands for is its words spelled out, not any other name.
      if (question.abbreviation) return spellsOut(tokens, question.abbreviation) ? NEXT_TO_QUESTION : 0;
      return nameEvidence(tokens, false, question.asksSeveral);
    case 'place':
      return nameEvidence(tokens, question.kind === 'place', question.asksSeveral);
    case 'quote':
      return quoteEvidence(tokens, sentence);
    case 'comparison':
      return comparisonEvidence(tokens);
  }
}

/** Tiers of evidence: of the kind asked for; of the right form too; and next to the question's words. */
const OF_KIND = 0.25;
const RIGHT_FORM = 0.7;
const NEXT_TO_QUESTION = 1;
/** "Next to" is within this many words. */
const NEAR = 3;

interface Token {
  text: string;
  /** Character offset in the sentence. */
  at: number;
  /** One of the question's words (or numbers), in any inflection. */
  asked: boolean;
}

function tokenize(sentence: string, question: QuestionProfile): Token[] {
  const asked = new Set(question.terms);
  return [...sentence.matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    at: m.index ?? 0,
    asked: analyze(m[0]).some((t) => asked.has(t)),
  }));
}

/** Whether a question word stands within NEAR words of tokens `from..to`. */
function nearQuestion(tokens: Token[], from: number, to: number): boolean {
  for (let i = Math.max(0, from - NEAR); i <= Math.min(tokens.length - 1, to + NEAR); i++) {
    if ((i < from || i > to) && tokens[i]?.asked) return true;
  }
  return false;
}

function tiered(rightForm: boolean, near: boolean): number {
  return rightForm && near ? NEXT_TO_QUESTION : rightForm || near ? RIGHT_FORM : OF_KIND;
}

const NUMBER_WORD =
  /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|third|quarter|twice|double|treble)$/i;
const YEAR_ONLY = /^\(?(?:19|20)\d\d\)?[.,;:]?$/;
/** Money: a currency sign or name, or "bn" (a count of billions is written out). */
const CURRENCY =
  /[$£€¥]|\dbn\b|\dp\b|^(?:bn|euros?|dollars?|pounds?|yuan|yen|rupees?|won|francs?|lira|pence|cents?)\b/i;
const SHARE = /%|^per$|^percent|^third|^quarter|^half|^fifth/i;
const DURATION =
  /^(?:years?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?|decades?|centur(?:y|ies))\b/i;
const AGE = /^\d{1,3}-year-old|^aged?$/i;
const SCORE = /^\(?\d{1,3}-\d{1,3}\b/;
const SPEED =
  /^(?:mph|km\/h|kph|mbps|kbps|gbps|megabits?|gigabits?|kilobits?|teraflops|gigaflops|knots)\b|\/s\b/i;

function quantityEvidence(tokens: Token[], sentence: string, question: QuestionProfile): number {
  let best = 0;
  tokens.forEach((token, i) => {
    const digits = /\d[\d,.]*/.exec(token.text)?.[0].replace(/,/g, '').replace(/\.$/, '');
    const isNumber = digits !== undefined || NUMBER_WORD.test(token.text.replace(/[^\p{L}]/gu, ''));
    if (!isNumber) return;
    // A number the question gives (a year, the "23 March" of the strike) is not the answer; a bare year
    // answers "when", not "how much".
    if (digits !== undefined && question.numbers.has(digits)) return;
    if (!digits && question.words.has(token.text.toLowerCase())) return;
    if (YEAR_ONLY.test(token.text) && !/[$£€]/.test(tokens[i - 1]?.text ?? '')) return;
    const around = [tokens[i - 1]?.text ?? '', token.text, tokens[i + 1]?.text ?? ''];
    // "Millions of dollars", "hundreds of fans": a magnitude, not the figure asked for.
    if (!digits && MAGNITUDE.test(token.text) && !isNumberToken(tokens[i - 1])) {
      best = Math.max(best, OF_KIND);
      return;
    }
    const counts = question.counted
      ? [tokens[i + 1], tokens[i + 2]].some((t) => t && analyze(t.text).includes(question.counted as string))
      : false;
    // "How many tickets": "more than 20 Jonesboro ministers" counts something else.
    if (question.counted && !counts && countsOther(tokens, i)) {
      best = Math.max(best, OF_KIND);
      return;
    }
    const near = question.counted ? counts : nearQuestion(tokens, i, i);
    const value = tiered(unitFits(question.unit, around, sentence), near);
    best = Math.max(best, value);
  });
  return best;
}

/** Number words that give an order of magnitude ("millions of dollars") rather than a figure. */
const MAGNITUDE = /^(?:hundreds|thousands|millions|billions|dozens|tens)\b/i;
/** Words that may follow a number without naming what it counts ("20 of the", "5,500 had been sold"). */
const NOT_COUNTED = new Set(
  'of to in on at by for from and or but the a an than as more less over under up down per each had have has was were is are be been will would could can said more most so out about'.split(
    ' ',
  ),
);

function isNumberToken(token: Token | undefined): boolean {
  return (
    token !== undefined && (/\d/.test(token.text) || NUMBER_WORD.test(token.text.replace(/[^\p{L}]/gu, '')))
  );
}

/**
 * Whether the number at `i` counts a thing named right after it ("20 ministers", "20 Jonesboro
 * ministers"): a word follows it in the same clause that is not a unit, a number or a function word.
 */
function countsOther(tokens: Token[], i: number): boolean {
  const number = tokens[i]?.text ?? '';
  if (/[,;:.)!?]$/.test(number) || /\d-?[a-z]/i.test(number)) return false;
  const next = tokens[i + 1]?.text.replace(/[^\p{L}\p{N}-]/gu, '') ?? '';
  if (next === '' || isNumberToken(tokens[i + 1])) return false;
  return !NOT_COUNTED.has(next.toLowerCase()) && !CURRENCY.test(next) && !SHARE.test(next);
}

function unitFits(unit: QuantityUnit | null, [before, number, after]: string[], sentence: string): boolean {
  switch (unit) {
    case 'money':
      return (
        CURRENCY.test(number as string) || CURRENCY.test(after as string) || /[$£€¥]$/.test(before as string)
      );
    case 'share':
      return SHARE.test(number as string) || SHARE.test(after as string) || /\bin$/.test(after as string);
    case 'duration':
      return DURATION.test(after as string) || DURATION.test(number as string);
    case 'age':
      return AGE.test(number as string) || AGE.test(before as string);
    case 'score':
      return SCORE.test(number as string) || /\d-\d/.test(sentence);
    case 'speed':
      return SPEED.test(after as string) || SPEED.test(number as string);
    case 'count':
      // A count is not a share or a sum of money: "50% fewer people" does not say how many people.
      return !(
        SHARE.test(number as string) ||
        SHARE.test(after as string) ||
        CURRENCY.test(number as string) ||
        CURRENCY.test(after as string) ||
        /[$£€¥]$/.test(before as string)
      );
    default:
      return true;
  }
}

const MONTH =
  /^\(?(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b/;
const WEEKDAY = /^\(?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;
const RELATIVE_DATE =
  /\b(?:(?:last|next|this|earlier this|later this) (?:week|month|year|summer|autumn|winter|spring|season|weekend)|yesterday|today|tomorrow)\b/i;

function dateEvidence(tokens: Token[], sentence: string): number {
  let best = 0;
  tokens.forEach((token, i) => {
    if (token.asked) return;
    const day = /^\d{1,2}(?:st|nd|rd|th)?$/;
    const dated =
      MONTH.test(token.text) ||
      WEEKDAY.test(token.text) ||
      (YEAR_ONLY.test(token.text) && !/[$£€]/.test(tokens[i - 1]?.text ?? ''));
    if (!dated) return;
    // "19 December", "May 19, 2006": a day and month together are the most precise answer.
    const precise = day.test(tokens[i - 1]?.text ?? '') || /^\d{1,2}\b/.test(tokens[i + 1]?.text ?? '');
    best = Math.max(best, tiered(precise, nearQuestion(tokens, i, i)));
  });
  return best || (RELATIVE_DATE.test(sentence) ? OF_KIND : 0);
}

/** Capitalised words that are not names, or not new ones, wherever they stand. */
const NOT_NAMES = new Set(
  'i the a an he she it they we you his her its their this that these those but and or if in on at of for to by with from as after before when while there here what who which however meanwhile'.split(
    ' ',
  ),
);
const TITLES =
  /^(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Prof|President|Chancellor|Minister|Judge|Chief|Coach|Captain)\.?$/;

/**
 * A name the question does not hold: a run of capitalised words (not only the word that opens the
 * sentence). Two words or more, or a title before it, is the right form for a person or an organisation;
 * for a place, "in", "at", "from" or "near" before it is; for several names, a list of them.
 */
function nameEvidence(tokens: Token[], place: boolean, several: boolean): number {
  // Runs of capitalised words, in order.
  const runs: Array<{ first: number; last: number }> = [];
  for (let first = 0; first < tokens.length; first++) {
    if (!isNameWord(tokens[first] as Token)) continue;
    let last = first;
    while (
      last + 1 < tokens.length &&
      isNameWord(tokens[last + 1] as Token) &&
      !/[,;:.)]$/.test(tokens[last]?.text ?? '')
    )
      last++;
    runs.push({ first, last });
    first = last;
  }
  // For a question asking for several names, names listed together ("Paramount, Universal and Warner
  // Brothers") have the right form; one name alone does not.
  const listed = new Set<number>();
  for (let r = 1; r < runs.length; r++) {
    const previous = runs[r - 1] as { first: number; last: number };
    const run = runs[r] as { first: number; last: number };
    const between = tokens.slice(previous.last + 1, run.first).map((t) => t.text);
    const comma = /,$/.test(tokens[previous.last]?.text ?? '');
    if (
      (between.length === 0 && comma) ||
      (between.length === 1 && /^(?:and|or|&)$/.test(between[0] as string))
    ) {
      listed.add(r - 1);
      listed.add(r);
    }
  }
  let best = 0;
  runs.forEach(({ first, last }, r) => {
    const run = tokens.slice(first, last + 1);
    const before = tokens[first - 1]?.text ?? '';
    const opens = first === 0 || /[.!?:"“]$/.test(before);
    if (run.some((t) => t.asked) || (opens && run.length === 1 && !(several && listed.has(r)))) return;
    const rightForm = several
      ? listed.has(r)
      : place
        ? // "in Hotan", and "in the Netherlands", "at the Albert Hall".
          PLACE_BEFORE.test(before) ||
          (/^the$/i.test(before) && PLACE_BEFORE.test(tokens[first - 2]?.text ?? ''))
        : run.length >= 2 || TITLES.test(before);
    best = Math.max(best, tiered(rightForm, nearQuestion(tokens, first, last)));
  });
  return best;
}

/**
 * Whether capitalised words of the sentence, in a row, begin with the letters of an abbreviation
 * ("Realise And Witness Talent" for Raw T; "International Association of Athletics Federations" for
 * IAAF, small words in between passed over).
 */
function spellsOut(tokens: Token[], letters: string): boolean {
  for (let i = 0; i < tokens.length; i++) {
    let k = 0;
    let j = i;
    while (k < letters.length && j < tokens.length) {
      const word = (tokens[j] as Token).text.replace(/^[("'“‘]+/, '');
      if (/^\p{Lu}/u.test(word) && word[0]?.toLowerCase() === letters[k]) k++;
      else if (!(k > 0 && /^(?:of|and|the|for|de|du|la|le|von|van)$/.test(word))) break;
      // The last word of the spelled-out name may end the clause; an earlier one may not.
      if (k < letters.length && /[,;:.)]$/.test(word)) break;
      j++;
    }
    if (k === letters.length) return true;
  }
  return false;
}

/** Words that put a name as a place: "in", "at", "from", "near", "to". */
const PLACE_BEFORE = /^(?:in|at|from|near|to)$/i;

function isNameWord(token: Token): boolean {
  const bare = token.text.replace(/^[("'“‘]+/, '').replace(/['’]s?[,.;:)"”]*$|[,.;:)"”]+$/u, '');
  return /^\p{Lu}[\p{L}\p{N}&.-]*$/u.test(bare) && bare.length > 1 && !NOT_NAMES.has(bare.toLowerCase());
}

const SPEECH = /^(?:said|says|told|added|warned|described|called|insisted|argued|claimed|replied)\b/i;

function quoteEvidence(tokens: Token[], sentence: string): number {
  const quoted = /["“”]\s*\S+(?:\s+\S+){2,}/.test(sentence);
  const speech = tokens.some((t) => SPEECH.test(t.text));
  if (!quoted) return speech ? OF_KIND : 0;
  // The words of the person asked about: their name (or a question word) in the sentence.
  return tokens.some((t) => t.asked) ? NEXT_TO_QUESTION : RIGHT_FORM;
}

/** Words ending in -er before "than" that compare nothing ("rather than", "other than"). */
const NOT_COMPARATIVE = /^(?:rather|other|whether|either|neither|never|over|under|after)$/i;

/**
 * A comparison: "smaller than", "twice as large", "three times", "more than" and "compared with" (of the
 * kind; an adjective compared, "9% smaller than Allied Domecq", is the right form).
 */
function comparisonEvidence(tokens: Token[]): number {
  let best = 0;
  tokens.forEach((token, i) => {
    const word = token.text.replace(/[^\p{L}]/gu, '').toLowerCase();
    const next = tokens[i + 1]?.text.replace(/[^\p{L}]/gu, '').toLowerCase() ?? '';
    let rightForm: boolean;
    if (next === 'than' && /^\p{L}{3,}er$/u.test(word) && !NOT_COMPARATIVE.test(word)) rightForm = true;
    else if ((word === 'twice' || word === 'times') && next === 'as') rightForm = true;
    else if (
      (next === 'than' && /^(?:more|less|fewer)$/.test(word)) ||
      (word === 'compared' && /^(?:with|to)$/.test(next))
    )
      rightForm = false;
    else return;
    best = Math.max(best, tiered(rightForm, nearQuestion(tokens, i, i + 1)));
  });
  return best;
}
