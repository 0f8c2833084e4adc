/**
 * A follow-up in a thread, read against the question before it. Pure: no Discord, no search.
 *
 * A follow-up that stands on its own ("How many officials went to Xizang in 1998?") is asked as it is.
 * One that leans on the previous question is combined with it:
 *
 *  - "and in 2003?", "what about Hotan?", "how about the Courier?" (a connector, then little else): the
 *    new part takes the place of the same kind of part in the previous question (a year replaces its
 *    years, a name its last name), or is added to it when it has none;
 *  - "who else said that?", "why did they do it?" (a pronoun pointing back, few words of its own): the
 *    follow-up's own words are asked together with the previous question's;
 *  - a follow-up of at most two content words ("Hotan?", "in 2003") counts as elliptic too.
 */

export interface CombinedQuestion {
  /** What is searched. */
  question: string;
  /** How it was made: asked as typed, a part of the previous question replaced, or the two joined. */
  how: 'as-is' | 'replaced' | 'joined';
}

/** Openers that make a follow-up lean on what was asked before. */
const CONNECTOR =
  /^(?:and\s+|but\s+|also\s+|so\s+)?(?:(?:what|how)\s+about|what\s+of|same\s+(?:for|with|in)|and|also|or|then|now|but)\b[\s,:]*/i;
/** Words that point back at the previous question's subject. */
const POINTING_BACK =
  /\b(?:that|this|those|these|it|its|they|them|their|he|him|his|she|her|there|then|else|other|others|same)\b/i;
/** Words that carry no content of their own. */
const FUNCTION_WORDS = new Set(
  `a an the and or but of in on at to for from by with about as into over after before since until during
   what which who whom whose when where why how is are was were be been being do does did done have has had
   say said says tell told any some more else other others that this those these it its they them their
   he him his she her there then same also so now than too very much many few i me my we us our you your
   can could would should will shall may might must not no yes please`.split(/\s+/),
);

/** Capitalised words that are not names: months and days. */
const CALENDAR = new Set(
  `january february march april may june july august september october november december
   monday tuesday wednesday thursday friday saturday sunday`.split(/\s+/),
);

const YEAR = /\b(?:1[89]\d{2}|20\d{2})\b/g;
/** A run of capitalised words (a name), not counting the first word of the question. */
const NAME = /\b[A-Z][\p{L}'’-]*(?:\s+[A-Z][\p{L}'’-]*)*/gu;

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).filter(
    (w) => !FUNCTION_WORDS.has(w),
  );
}

/** The names of a text, leaving out its first word (capitalised because it starts the sentence). */
function namesIn(text: string, skipFirst = true): Array<{ name: string; index: number }> {
  const first = skipFirst ? (/^\s*\S+/.exec(text)?.[0].length ?? 0) : 0;
  return [...text.matchAll(NAME)]
    .map((m) => {
      let name = m[0];
      let index = m.index ?? 0;
      if (index < first) {
        // "What Hotan said": drop the first word, keep the rest of the run.
        const rest = name.slice(first - index).trimStart();
        index += name.length - rest.length;
        name = rest;
      }
      return { name, index };
    })
    .filter(
      (n) =>
        n.name !== '' && !FUNCTION_WORDS.has(n.name.toLowerCase()) && !CALENDAR.has(n.name.toLowerCase()),
    );
}

/** Whether a follow-up leans on the question before it (see the module comment). */
export function isElliptic(followUp: string): boolean {
  const text = followUp.trim();
  const content = contentWords(text);
  if (content.length <= 2) return true;
  if (CONNECTOR.test(text) && content.length <= 4) return true;
  return POINTING_BACK.test(text) && content.length <= 3;
}

/**
 * The question to search for a follow-up, given the thread's previous question (as it was searched).
 * `maxLength` bounds the result (the previous question is cut, never the follow-up).
 */
export function combineFollowUp(
  previous: string | null,
  followUp: string,
  maxLength = 500,
): CombinedQuestion {
  const asked = followUp.replace(/\s+/g, ' ').trim();
  if (!previous || !isElliptic(asked)) return { question: asked, how: 'as-is' };
  const base = previous
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[?.!]+$/, '');
  const part = asked
    .replace(CONNECTOR, '')
    .replace(/[?.!]+$/, '')
    .trim();
  const partContent = contentWords(part);

  // A year for a year: "and in 2003?"
  const years = part.match(YEAR);
  if (years && partContent.every((w) => /^\d+$/.test(w)) && YEAR.test(base)) {
    YEAR.lastIndex = 0;
    let used = 0;
    const replaced = base.replace(YEAR, () => years[Math.min(used++, years.length - 1)] as string);
    return bounded(`${replaced}?`, 'replaced', maxLength);
  }
  // A name for the last name: "what about Hotan?"
  const partNames = namesIn(part, false);
  const baseNames = namesIn(base);
  const lastName = baseNames.at(-1);
  if (
    partNames.length > 0 &&
    lastName &&
    !POINTING_BACK.test(part) &&
    partContent.length <= partNames.reduce((n, p) => n + contentWords(p.name).length, 0)
  ) {
    const name = partNames.map((p) => p.name).join(' ');
    const replaced = `${base.slice(0, lastName.index)}${name}${base.slice(lastName.index + lastName.name.length)}`;
    return bounded(`${replaced}?`, 'replaced', maxLength);
  }
  // Anything else: the follow-up's own words with the previous question's.
  const own = partContent.length > 0 ? part : asked.replace(/[?.!]+$/, '');
  return bounded(`${own}: ${base}?`, 'joined', maxLength, own.length + 2);
}

function bounded(text: string, how: CombinedQuestion['how'], max: number, keep = 0): CombinedQuestion {
  if (text.length <= max) return { question: text, how };
  const room = Math.max(keep, max - 1);
  return { question: `${text.slice(0, room).replace(/\s+\S*$/, '')}?`, how };
}
