import {
  FEMALE_TITLES,
  FUNCTION_WORDS,
  MALE_TITLES,
  MONTHS_BUT_MAY,
  NOT_NAME_WORDS,
  ORG_WORDS,
  ROLE_NOUNS,
  ROLE_TITLES,
  TITLES,
  WEEKDAYS,
} from './words.js';

/**
 * The names an article gives, so that a speaker can be resolved to the fullest form the article uses:
 * "Mr Blair" and "Blair" to "Tony Blair", "the BBA" to "British Bankers' Association". Only the reporter's
 * own text is read (quotations are blanked), in article order, each mention kept with where it is, so
 * that a pronoun can look back for the nearest person.
 */

export type Gender = 'm' | 'f' | null;

export interface Mention {
  /** Offset in the body. */
  at: number;
  /** The name as resolved (fullest form). */
  name: string;
  person: boolean;
  gender: Gender;
}

const NAME_TOKEN =
  /^(?:\p{Lu}[\p{Ll}\p{Lu}'’]*(?:-\p{Lu}[\p{L}'’]*)*\p{L}|\p{Lu}\.?|Mc\p{Lu}\p{L}+|O['’]\p{Lu}\p{L}+)$/u;
const PARTICLES = new Set([
  'de',
  'van',
  'von',
  'der',
  'den',
  'da',
  'di',
  'du',
  'le',
  'la',
  'bin',
  'al',
  'el',
  'ter',
  'dos',
  'del',
]);
/** Lowercase words before a capitalised run that do not introduce a person ("in New York", "the Bank"). */
const NOT_INTRODUCING = new Set([
  'in',
  'at',
  'on',
  'of',
  'from',
  'to',
  'for',
  'by',
  'with',
  'and',
  'or',
  'the',
  'a',
  'an',
  'into',
  'across',
  'near',
  'between',
  'against',
  'over',
  'under',
  'about',
  'than',
  'via',
  'per',
  'as',
  'like',
  'including',
  'during',
  'since',
  'until',
  'after',
  'before',
  'its',
  'their',
  'our',
  'this',
  'that',
  'these',
  'those',
  'both',
  'all',
  'every',
  'each',
  'where',
  'while',
  'when',
  'but',
  'if',
  'then',
  'also',
  'visited',
  'within',
  'throughout',
  'outside',
  'inside',
  'around',
  'toward',
  'towards',
  'upon',
  'among',
  'beyond',
  'through',
]);
const TITLE_OR_ROLE = new Set([...TITLES, ...ROLE_TITLES]);
/** Days and months (not "May", also a name): a date before a name is not part of it. */
const DATE_WORDS = new Set([...WEEKDAYS, ...MONTHS_BUT_MAY]);

/** A lowercase word that introduces a person's name: a job ("striker", "economist"), a cue ("said"). */
function introducesPerson(word: string): boolean {
  if (NOT_INTRODUCING.has(word)) return false;
  return (
    ROLE_TITLES.has(word) ||
    ROLE_NOUNS.test(word) ||
    /^(said|says|told|added|asked|according|wrote|explained|insisted|warned|admitted|argued)$/.test(word) ||
    /(?:er|or|ist|ian|ant|ent|man|woman|ee|ive)$/.test(word)
  );
}
const ACRONYM = /^\p{Lu}{2,6}s?$/u;

export function isNameToken(word: string): boolean {
  return NAME_TOKEN.test(word);
}

const lowered = new Map<string, string>();
/** Lower case without dots and apostrophes ("Mr." → "mr"). Kept per word form: articles repeat their words. */
export function lower(word: string): string {
  let out = lowered.get(word);
  if (out === undefined) {
    out = word.toLowerCase().replace(/[.’']/g, '');
    if (lowered.size > 50_000) lowered.clear();
    lowered.set(word, out);
  }
  return out;
}

/** A capitalised run split into its courtesy title, job-title words and the name proper. */
export interface NameParts {
  title: string | null;
  name: string[];
}

/**
 * Drops sentence openers, courtesy titles and capitalised job titles from the front of a run; a run that
 * still holds job or organisation words before a person's name keeps the name only
 * ("Media and Sport Secretary Tessa Jowell", "Nottingham City Councillor Brian Parbutt").
 */
export function nameParts(whole: string[]): NameParts {
  // "On Thursday Mr Blair said": a courtesy title inside a run starts the name; a day or a month before
  // a name is not part of it.
  let from = 0;
  for (let i = 1; i < whole.length - 1; i++) if (TITLES.has(lower(whole[i] as string))) from = i;
  while (from < whole.length - 1 && DATE_WORDS.has(lower(whole[from] as string))) from++;
  const run = whole.slice(from);
  const parts = stripFront(run);
  if (parts.name.length > 2 && !looksLikePerson(parts.name)) {
    for (let from = 1; from <= parts.name.length - 2; from++) {
      const tail = parts.name.slice(from);
      const before = lower(parts.name[from - 1] as string);
      if (
        looksLikePerson(tail) &&
        (ROLE_TITLES.has(before) || ORG_WORDS.has(before) || NOT_NAME_WORDS.has(before) || TITLES.has(before))
      )
        return { title: TITLES.has(before) ? before : parts.title, name: tail };
    }
  }
  return parts;
}

function stripFront(run: string[]): NameParts {
  let i = 0;
  let title: string | null = null;
  while (i < run.length - 1 || (i < run.length && FUNCTION_WORDS.has(lower(run[i] as string)))) {
    const w = lower(run[i] as string);
    if (FUNCTION_WORDS.has(w) && !TITLES.has(w)) i++;
    else if (TITLES.has(w)) {
      title = w;
      i++;
    } else if (ROLE_TITLES.has(w) && i < run.length - 1) i++;
    else break;
  }
  return { title, name: run.slice(i) };
}

export function isOrganisation(name: string[]): boolean {
  if (name.length === 1 && ACRONYM.test(name[0] as string)) return true;
  return name.some((w) => ORG_WORDS.has(lower(w)));
}

export function looksLikePerson(name: string[]): boolean {
  if (name.length < 2 || name.length > 4) return false;
  if (isOrganisation(name)) return false;
  if (
    name.some(
      (w) => NOT_NAME_WORDS.has(lower(w)) || FUNCTION_WORDS.has(lower(w)) || ROLE_TITLES.has(lower(w)),
    )
  )
    return false;
  if (name.some((w) => /\p{N}/u.test(w))) return false;
  return name.every((w) => isNameToken(w) || PARTICLES.has(w));
}

export interface CapitalRun {
  /** Offsets of the run (base added): its first word's start, its last word's end. */
  at: number;
  end: number;
  words: string[];
  possessive: boolean;
}

/** Capitalised runs of a blanked text: consecutive name-like words; a possessive ends the run. */
export function capitalRuns(text: string, base: number): CapitalRun[] {
  const runs: CapitalRun[] = [];
  let current: CapitalRun | null = null;
  for (const m of text.matchAll(/[^\s,;:()"“”«»„§]+|[,;:()"“”«»„§]/g)) {
    const raw = m[0];
    // Most words are lowercase: only a capital (or a particle inside a run) can be part of a name.
    const c = raw.charCodeAt(0);
    const lowerStart = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (lowerStart && (current === null || !PARTICLES.has(raw))) {
      if (current) {
        runs.push(current);
        current = null;
      }
      continue;
    }
    const at = base + (m.index as number);
    const stripped = raw.replace(/[.!?]+$/, '');
    const possessive = /(['’]s|s['’])$/.test(stripped);
    const word = stripped.replace(/['’]s$/, '').replace(/['’]$/, '');
    const nameLike = isNameToken(word) || (current !== null && PARTICLES.has(word));
    if (nameLike) {
      if (!current) current = { at, end: at, words: [], possessive: false };
      current.words.push(word);
      current.end = at + raw.length;
      const orgPossessive =
        /s['’]$/.test(stripped) &&
        ORG_WORDS.has(
          lower(
            /^\s+([^\s,;:]+)/.exec(text.slice(at - base + raw.length, at - base + raw.length + 40))?.[1] ??
              '',
          ),
        );
      if (orgPossessive) {
        current.words[current.words.length - 1] = stripped;
        continue;
      }
      if (possessive || stripped !== raw) {
        current.possessive = possessive;
        runs.push(current);
        current = null;
      }
    } else if (current) {
      runs.push(current);
      current = null;
    }
  }
  if (current) runs.push(current);
  return runs;
}

/** Every name an article mentions, with the fullest form of each. */
export class NameTable {
  readonly mentions: Mention[] = [];
  /** Full names (two words or more) the article gives, each once, and by their last word. */
  private readonly fullNames: string[][] = [];
  private readonly fullNameKeys = new Set<string>();
  private readonly byLastWord = new Map<string, string[][]>();

  private addFullName(name: string[]): void {
    const key = name.join(' ');
    if (this.fullNameKeys.has(key)) return;
    this.fullNameKeys.add(key);
    this.fullNames.push(name);
    const last = name.at(-1) as string;
    this.byLastWord.set(last, [...(this.byLastWord.get(last) ?? []), name]);
  }

  /** Full names ending with these words. */
  private endingWith(name: string[]): string[][] {
    return (this.byLastWord.get(name.at(-1) as string) ?? []).filter((full) => endsWith(full, name));
  }
  private readonly genders = new Map<string, Gender>();
  private readonly acronyms = new Map<string, string>();
  readonly orgs = new Set<string>();
  /** Names the article shows to be people (see the constructor); speakers are added as they are found. */
  private readonly confirmed = new Set<string>();

  /**
   * `pieces`: the reporter's text (quotations blanked), where mentions are read. `quoted`: the quotations'
   * own text, read only for full names (a surname outside may belong to a name given only inside a
   * quotation, or a quotation whose closing mark is missing).
   */
  constructor(pieces: Array<{ text: string; base: number }>, quoted: string[] = []) {
    for (const text of quoted)
      for (const run of capitalRuns(text, 0)) {
        const parts = nameParts(run.words);
        if (looksLikePerson(parts.name)) this.addFullName(parts.name);
      }
    const raw: Array<{ at: number; parts: NameParts; introduced: boolean }> = [];
    for (const { text, base } of pieces) {
      for (const run of capitalRuns(text, base)) {
        const parts = nameParts(run.words);
        if (parts.name.length === 0) continue;
        // Written the way a person is introduced: "trader John Smith", "said John Smith", "John Smith, 54,",
        // "John Smith, chairman of": a lowercase word before it, or an apposition after it.
        const before =
          /(\S+)\s+$/.exec(text.slice(Math.max(0, run.at - base - 30), run.at - base))?.[1] ?? '';
        const after = text.slice(run.end - base, run.end - base + 20);
        const introduced =
          parts.name.length >= 2 &&
          ((/^\p{Ll}[\p{Ll}-]+$/u.test(before) && introducesPerson(before)) ||
            /^,\s+(?:\d{1,3},|(?:a|an|the|his|her|its)\s|\p{Ll})/u.test(after) ||
            (run.words.length > parts.name.length &&
              TITLE_OR_ROLE.has(lower(run.words[run.words.length - parts.name.length - 1] as string))));
        raw.push({ at: run.at, parts, introduced });
        if (looksLikePerson(parts.name)) this.addFullName(parts.name);
        if (isOrganisation(parts.name) && parts.name.length > 1) this.orgs.add(parts.name.join(' '));
      }
      // "British Bankers' Association (BBA)": the acronym stands for the name before it.
      for (const m of text.matchAll(
        /((?:\p{Lu}[\p{L}'’-]*\s+(?:(?:of|for|and|the|on)\s+)?){2,8})\((\p{Lu}{2,6})\)/gu,
      )) {
        this.acronyms.set(m[2] as string, (m[1] as string).trim());
      }
    }
    for (const { at, parts, introduced } of raw) {
      const name = this.fullest(parts.name, at);
      // A person for certain: titled (Mr Smith), named by surname alone elsewhere (Smith), or introduced.
      const bySurname =
        parts.name.length === 1 && !ACRONYM.test(parts.name[0] as string) && looksLikePerson(name.split(' '));
      if (parts.title !== null || introduced || bySurname) this.confirmed.add(name);
      const person = parts.title !== null || looksLikePerson(parts.name) || this.isKnownPerson(parts.name);
      const gender: Gender =
        parts.title && FEMALE_TITLES.has(parts.title)
          ? 'f'
          : parts.title && MALE_TITLES.has(parts.title)
            ? 'm'
            : null;
      if (gender) this.genders.set(name, gender);
      this.mentions.push({ at, name, person, gender: null });
    }
    for (const m of this.mentions) m.gender = this.genders.get(m.name) ?? null;
    this.mentions.sort((a, b) => a.at - b.at);
  }

  /** A single word or a partial name that matches the last words of a full name the article gives. */
  private isKnownPerson(name: string[]): boolean {
    return this.endingWith(name).length > 0;
  }

  isPerson(name: string): boolean {
    const words = name.split(' ');
    return looksLikePerson(words) || this.isKnownPerson(words);
  }

  /** A person the article shows to be one (titled, referred to by surname, introduced with a role or age). */
  isConfirmedPerson(name: string): boolean {
    return this.confirmed.has(name) && this.isPerson(name);
  }

  /** Records a name that a cue shows speaking (a pronoun may refer back to it). */
  confirm(name: string): void {
    if (this.isPerson(name)) this.confirmed.add(name);
  }

  gender(name: string): Gender {
    return this.genders.get(name) ?? null;
  }

  /**
   * The fullest form of a name the article gives: the longest full name ending with these words (the
   * nearest one mentioned before `at` when surnames are shared), an acronym's spelled-out form, or the
   * words themselves.
   */
  fullest(name: string[], at: number): string {
    if (name.length === 1) {
      const acronym = this.acronyms.get(name[0] as string) ?? this.spelledOut(name[0] as string);
      if (acronym) return acronym;
    }
    if (name.length === 1 || isOrganisation(name)) {
      // "Labour" for "Labour Party": an organisation the article names in full, starting with these words.
      const orgs = [...this.orgs].filter((o) => o.startsWith(`${name.join(' ')} `));
      if (orgs.length === 1 && this.endingWith(name).length === 0) return orgs[0] as string;
    }
    const matches = this.endingWith(name).filter((full) => full.length > name.length);
    const distinct = [...new Set(matches.map((m) => m.join(' ')))];
    if (distinct.length === 0 && name.length === 1) {
      // "Sir Alan" after "Sir Alan Parker": a given name that only one full name in the article starts with.
      const given = [...new Set(this.fullNames.filter((f) => f[0] === name[0]).map((f) => f.join(' ')))];
      if (given.length === 1) return given[0] as string;
    }
    if (distinct.length === 0) return name.join(' ');
    if (distinct.length === 1) return longestVariant(distinct[0] as string, this.fullNames);
    // Shared surname: the one named most recently before this mention (none before: unsure, keep as written).
    const before = this.mentions.filter((m) => m.at < at && distinct.includes(m.name));
    const chosen = before.at(-1)?.name;
    return chosen ?? name.join(' ');
  }

  private spelledOut(acronym: string): string | null {
    if (!ACRONYM.test(acronym)) return null;
    const letters = acronym.replace(/s$/, '');
    for (const org of this.orgs) {
      const initials = org
        .split(' ')
        .filter((w) => !['of', 'for', 'and', 'the', 'on'].includes(w))
        .map((w) => w[0])
        .join('');
      if (initials === letters) return org;
    }
    return null;
  }
}

function endsWith(full: string[], tail: string[]): boolean {
  if (tail.length > full.length) return false;
  const off = full.length - tail.length;
  return tail.every((w, i) => full[off + i] === w);
}

/** "George Bush" when the article also writes "George W Bush": the longest form with the same ends. */
function longestVariant(name: string, fullNames: string[][]): string {
  const words = name.split(' ');
  let best = words;
  for (const full of fullNames) {
    if (full.length > best.length && full[0] === words[0] && full.at(-1) === words.at(-1)) best = full;
  }
  return best.join(' ');
}
