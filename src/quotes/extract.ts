import { markedSpans } from './marks.js';
import {
  capitalRuns,
  isNameToken,
  isOrganisation,
  looksLikePerson,
  lower,
  NameTable as Names,
  type NameTable,
  nameParts,
} from './names.js';
import { blankQuotes, QUOTE_CHAR, sentenceRanges, type Token, tokens } from './text.js';
import {
  AUXILIARIES,
  CUES,
  FUNCTION_WORDS,
  NOT_SPEECH_AFTER,
  ORG_ANAPHORS,
  ORG_WORDS,
  ROLE_NOUNS,
  ROLE_TITLES,
  TITLES,
} from './words.js';

/**
 * Direct quotations of one article: where each lies in the body, who said it, and the cue that says so.
 * Pure and synchronous (no discord.js, no I/O): run at ingest for every article, and by the CLI's --file.
 *
 * Rules, in the order they apply (docs/quotes.md has examples):
 * 1. Spans between double quotation marks, per paragraph (marks.ts).
 * 2. Attribution within the quotation's own sentence: a cue after it (`," Mr Blair said.`, `," said the
 *    minister`), else a cue before it (`Mr Blair said: "`, `Mr Jones said the watchdog received "...`).
 * 3. A quotation with no cue of its own that opens its sentence continues the one before it in the same
 *    or the previous paragraph (`"X," he said. "Y."`, the reopened paragraph), with the same speaker.
 * 4. Short spans (three words or fewer) with no cue are scare quotes, nicknames or titles: left out, as
 *    are longer capitalised ones with no cue (titles of works).
 * 5. Speakers resolve within the article (names.ts): a pronoun to the nearest person before it (or an
 *    organisation for "it"), a surname to the fullest name, a role to a name the article pairs it with.
 *    When unsure, `null`.
 */

export interface Quotation {
  /** Offsets in the body of the text between the marks: `body.slice(start, end)` is the quotation. */
  start: number;
  end: number;
  /** The speaker resolved within the article (fullest name, organisation, or role), or null. */
  speaker: string | null;
  /** The speaker as the attribution writes it (`he`, `Mr Blair`, `a spokesman`), or null. */
  speakerText: string | null;
  /** The cue as written, auxiliaries dropped (`said`, `told`, `according to`), or null. */
  cue: string | null;
}

/** A speaker phrase as found, before resolution. */
interface RawSpeaker {
  kind: 'name' | 'pronoun' | 'role';
  words: string[];
  text: string;
  /** Offset in the body, for looking back from it. */
  at: number;
}

interface Attribution {
  speaker: RawSpeaker | null;
  cue: string;
  /** The cue sits right next to the quotation (`," he said`, `said: "`) rather than further off in the sentence. */
  adjacent: boolean;
  /** A cue before the quotation, far from it (more than 14 words) or with another quotation between. */
  remote?: boolean;
}

const CUE_WORDS = CUES.map((c) => c.replace(/:$/, '').split(' ')).sort((a, b) => b.length - a.length);
/** The cues by their first word, longest first: a word is looked up once rather than against every cue. */
const CUES_BY_FIRST_WORD = new Map<string, string[][]>();
for (const cue of CUE_WORDS) {
  const list = CUES_BY_FIRST_WORD.get(cue[0] as string) ?? [];
  list.push(cue);
  CUES_BY_FIRST_WORD.set(cue[0] as string, list);
}
/** Words that open a sentence before its subject. */
const CONJUNCTIONS = new Set([
  'but',
  'and',
  'so',
  'yet',
  'however',
  'meanwhile',
  'now',
  'still',
  'then',
  'also',
]);
/** Lowercase job words before a name: novelist, striker, director, economist, spokesman. */
const JOB_ENDING = /(?:ist|er|or|ian|ant|ent|man|woman|ee)$/;
const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'we', 'i', 'who']);
const PARTICIPLES = new Set([
  'saying',
  'adding',
  'warning',
  'telling',
  'describing',
  'calling',
  'insisting',
  'arguing',
  'claiming',
  'explaining',
  'noting',
]);
const ROLE_DETERMINERS = new Set([
  'a',
  'an',
  'the',
  'one',
  'another',
  'its',
  'his',
  'her',
  'their',
  'some',
  'many',
  'several',
  'two',
  'three',
  'other',
]);
const STOP_AFTER_SPEAKER = new Set([
  'who',
  'in',
  'at',
  'on',
  'as',
  'during',
  'when',
  'after',
  'before',
  'following',
  'while',
  'speaking',
  'adding',
  'saying',
  'told',
  'to',
  'from',
  'with',
  'but',
  'which',
  'that',
  'yesterday',
  'today',
  'last',
  'this',
  'earlier',
  'later',
  'recently',
]);

/** A word without the punctuation around it. Kept per word form: articles repeat their words. */
const cleaned = new Map<string, string>();
function clean(word: string): string {
  let out = cleaned.get(word);
  if (out === undefined) {
    out = word.replace(/^[("'‘“]+/, '').replace(/[)"'’”,.;:!?]+$/, '');
    if (cleaned.size > 50_000) cleaned.clear();
    cleaned.set(word, out);
  }
  return out;
}

/** The cue phrase starting at token i (as written, lowercase), or null. */
function cueAt(words: Token[], i: number): string | null {
  const first = words[i];
  if (!first) return null;
  for (const cue of CUES_BY_FIRST_WORD.get(lower(clean(first.text))) ?? []) {
    if (i + cue.length > words.length) continue;
    let ok = true;
    for (let k = 0; k < cue.length; k++) {
      const w = lower(clean((words[i + k] as Token).text));
      if (w !== cue[k]) {
        ok = false;
        break;
      }
      // Punctuation inside a multi-word cue breaks it ("said, according" is not a phrase).
      if (k < cue.length - 1 && /[,.;:]$/.test((words[i + k] as Token).text)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    // "the United States would respond": a capitalised cue word is a name, except where a sentence starts.
    if (
      i > 0 &&
      /^\p{Lu}/u.test(clean((words[i] as Token).text)) &&
      !/[.!?:]$/.test((words[i - 1] as Token).text)
    )
      continue;
    const phrase = cue.join(' ');
    return phrase;
  }
  return null;
}

function notSpeech(cue: string, rest: string): boolean {
  const rule = NOT_SPEECH_AFTER[cue];
  return rule?.test(rest) === true;
}

/**
 * A speaker phrase that ends just before token `end` (exclusive): a pronoun, a name (title and job
 * title dropped, apposition skipped: `Philip Knight, chairman and chief executive, said`), or a role
 * (`a company spokeswoman`, `a spokesman for Mr Blair`).
 */
function speakerBefore(words: Token[], end: number, paragraphBase: number): RawSpeaker | null {
  let i = end - 1;
  while (
    i >= 0 &&
    AUXILIARIES.has(lower(clean((words[i] as Token).text))) &&
    !/,$/.test((words[i] as Token).text)
  )
    i--;
  while (i >= 0 && /ly$/.test(clean((words[i] as Token).text)) && /^\p{Ll}/u.test((words[i] as Token).text))
    i--;
  if (i < 0) return null;
  const last = words[i] as Token;
  if (last.text.includes(QUOTE_CHAR)) return null;
  // Apposition: "Philip Knight, chairman and chief executive, said", "Stephen Douglas, 26, from Wales,
  // said", "The firm's boss, Bob Smith, said": the comma-separated pieces before the cue; the person's
  // name among them (the nearest one), else the first piece.
  if (/,$/.test(last.text)) {
    const pieces: Token[][] = [];
    let j = i;
    let piece: Token[] = [];
    while (j >= 0 && i - j <= 14) {
      const t = words[j] as Token;
      if (/,$/.test(t.text) && piece.length > 0 && j !== i) {
        pieces.unshift(piece);
        piece = [];
      }
      piece.unshift(t);
      j--;
      if (pieces.length >= 3) break;
    }
    if (piece.length > 0) pieces.unshift(piece);
    const parsed = pieces.map((p) => parseSpeaker(p, paragraphBase));
    for (let k = parsed.length - 1; k >= 0; k--) {
      const sp = parsed[k];
      if (
        sp?.kind === 'name' &&
        (looksLikePerson(sp.words) || /^(Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame|Prof)\b/.test(sp.text))
      )
        return sp;
    }
    const first = parsed[0];
    return first && first.kind !== 'pronoun' ? first : null;
  }
  const w = lower(clean(last.text));
  if (w === 'who') {
    // "X, who observed," : the speaker is the phrase before "who".
    if (i === 0) return null;
    const before = parseSpeaker(words.slice(Math.max(0, i - 9), i), paragraphBase);
    return before;
  }
  if (PRONOUNS.has(w))
    return { kind: 'pronoun', words: [w], text: clean(last.text), at: last.start + paragraphBase };
  const found = parseSpeaker(words.slice(Math.max(0, i - 9), i + 1), paragraphBase);
  if (found?.kind === 'role') {
    // "Katrina Bull, a prospective parliamentary candidate said": the name before the role.
    const from = words.findIndex((t) => t.start + paragraphBase === found.at);
    const comma = words[from - 1];
    if (comma && /,$/.test(comma.text)) {
      const name = parseSpeaker(words.slice(Math.max(0, from - 5), from), paragraphBase);
      if (name?.kind === 'name' && looksLikePerson(name.words)) return name;
    }
  }
  return found;
}

/** The speaker phrase at the end of `words`: a name run, or a role phrase back to its determiner. */
function parseSpeaker(all: Token[], paragraphBase: number): RawSpeaker | null {
  // "(BBA)" after an organisation's name is its acronym, not part of the name.
  const words = all.filter((w) => !/^\([^)]*\),?$/.test(w.text));
  if (words.length === 0) return null;
  const texts = words.map((w) => clean(w.text));
  const last = texts.length - 1;
  if (words.some((w) => w.text.includes(QUOTE_CHAR))) {
    const cut = words.findLastIndex((w) => w.text.includes(QUOTE_CHAR));
    return parseSpeaker(words.slice(cut + 1), paragraphBase);
  }
  if (PRONOUNS.has(lower(texts[last] as string)))
    return {
      kind: 'pronoun',
      words: [lower(texts[last] as string)],
      text: texts[last] as string,
      at: (words[last] as Token).start + paragraphBase,
    };
  // A capitalised run ending here.
  let k = last;
  while (
    k >= 0 &&
    (isNameToken(texts[k] as string) ||
      (k < last &&
        ['de', 'van', 'von', 'der', 'da', 'di', 'du', 'le', 'bin', 'al', 'and'].includes(
          texts[k] as string,
        ))) &&
    !(k < last && /[,;:]$/.test((words[k] as Token).text))
  ) {
    const raw = (words[k] as Token).text.replace(/[,;:]$/, '');
    if (
      k < last &&
      /['’]s?$/.test(raw) &&
      !(/s['’]$/.test(raw) && ORG_WORDS.has(lower(texts[k + 1] as string)))
    )
      break;
    k--;
  }
  const run = texts.slice(k + 1).map((t, n) => (n === last - k - 1 ? t.replace(/['’]s?$/, '') : t));
  // "and" joins two names (joint speakers); anywhere else it ends the run.
  while (run.length > 0 && run[0] === 'and') run.shift();
  if (run.length > 0) {
    const parts = nameParts(run);
    const prev = k >= 0 ? lower(texts[k] as string) : '';
    if (
      parts.name.length > 0 &&
      !(parts.name.length === 1 && FUNCTION_WORDS.has(lower(parts.name[0] as string)))
    ) {
      // "a spokesman for Mr Blair", "a spokesman for the Football Association": a role with a name in it.
      if ((prev === 'for' || prev === 'of' || prev === 'at' || prev === 'from') && k >= 1) {
        const role = roleBack(texts, k - 1, words, paragraphBase);
        // "Undersecretary of Commerce Bruce Smart": a capitalised title without an article is not a role
        // phrase; the person's name is the speaker.
        const titled =
          role &&
          !ROLE_DETERMINERS.has(lower(role.words[0] as string)) &&
          /^\p{Lu}/u.test(role.words[0] as string);
        if (titled && looksLikePerson(parts.name))
          return {
            kind: 'name',
            words: parts.name,
            text: run.join(' '),
            at: (words[k + 1] as Token).start + paragraphBase,
          };
        if (role)
          return {
            ...role,
            words: [...role.words, prev, ...parts.name],
            text: `${role.text} ${prev} ${run.join(' ')}`,
          };
      }
      // "a US Embassy spokesman" is a role; capitals inside a role phrase are kept by roleBack.
      const at = (words[k + 1] as Token).start + paragraphBase;
      // As written, without a sentence opener ("And Calder said" → "Calder"); a courtesy title stays.
      const titleAt = parts.title ? run.findLastIndex((w) => lower(w) === parts.title) : -1;
      const opener = run.findIndex((w) => !FUNCTION_WORDS.has(lower(w)) || TITLES.has(lower(w)));
      const from = titleAt >= 0 ? titleAt : Math.max(0, opener);
      return { kind: 'name', words: parts.name, text: run.slice(from).join(' '), at };
    }
  }
  return roleBack(texts, last, words, paragraphBase);
}

/** A role phrase ending at texts[end], back to its determiner: `a company spokeswoman`, `the finance minister`. */
function roleBack(texts: string[], end: number, words: Token[], paragraphBase: number): RawSpeaker | null {
  if (end < 0 || !ROLE_NOUNS.test(texts[end] as string)) return null;
  let k = end;
  while (k >= 0 && end - k < 7) {
    const w = lower(texts[k] as string);
    if (ROLE_DETERMINERS.has(w)) break;
    if (k < end && /[,;:]$/.test((words[k] as Token).text)) return null;
    k--;
  }
  const det = k >= 0 ? lower(texts[k] as string) : '';
  if (!ROLE_DETERMINERS.has(det)) {
    // Bare plural roles: "lenders have said", "analysts said".
    if (k === end - 0 || end - k > 6) return null;
  }
  const from = ROLE_DETERMINERS.has(det) ? k : k + 1;
  const phrase = texts.slice(from, end + 1);
  if (phrase.length === 0) return null;
  phrase[0] =
    (phrase[0] as string).toLowerCase() === phrase[0]
      ? (phrase[0] as string)
      : lower(phrase[0] as string) === det
        ? det
        : (phrase[0] as string);
  return {
    kind: 'role',
    words: phrase,
    text: phrase.join(' '),
    at: (words[from] as Token).start + paragraphBase,
  };
}

/** The speaker phrase starting at token `from` (after a cue: `said Mr Blair`, `said a CAS statement`). */
function speakerAfter(words: Token[], from: number, paragraphBase: number): RawSpeaker | null {
  const chunk: Token[] = [];
  for (let i = from; i < words.length && chunk.length < 10; i++) {
    const t = words[i] as Token;
    if (t.text.includes(QUOTE_CHAR)) break;
    const w = lower(clean(t.text));
    if (chunk.length > 0 && STOP_AFTER_SPEAKER.has(w)) break;
    // A name ends the phrase at the next plain word: "according to Gartner analyst Carolina Milanesi is ...".
    const prev = chunk.at(-1);
    if (
      prev &&
      isNameToken(clean(prev.text)) &&
      !isNameToken(clean(t.text)) &&
      !/^(and|of|for|de|van|von|der|da)$/.test(w) &&
      !ROLE_TITLES.has(w) &&
      !ROLE_NOUNS.test(w)
    )
      break;
    // "said Dr Jeremy Philpott of the UK Patent Office": a person's name ends the phrase before "of";
    // "the Bank of England" goes on.
    if (prev && (w === 'of' || w === 'for' || w === 'from' || w === 'at') && isNameToken(clean(prev.text))) {
      let k = chunk.length - 1;
      while (k > 0 && isNameToken(clean((chunk[k - 1] as Token).text))) k--;
      const run = nameParts(chunk.slice(k).map((c) => clean(c.text)));
      if (looksLikePerson(run.name) || run.title !== null) break;
    }
    chunk.push(t);
    if (/[,.;:!?]$/.test(t.text)) break;
  }
  if (chunk.length === 0) return null;
  return parseSpeaker(chunk, paragraphBase);
}

/** The cue and speaker in the reporter's words after a quotation, up to the end of its sentence. */
function attributionAfter(after: Token[], paragraphBase: number): Attribution | null {
  let i = 0;
  if (i < after.length && /^[,—–-]+$/.test((after[i] as Token).text)) i++;
  if (i >= after.length || after[i]?.text.includes(QUOTE_CHAR)) return null;
  // "according to NP", "is the dry assessment of NP", "was how NP put it" within the first few words.
  for (let k = i; k < Math.min(after.length, i + 6); k++) {
    if (after[k]?.text.includes(QUOTE_CHAR)) break;
    const cue = cueAt(after, k);
    if (!cue) continue;
    if (notSpeech(cue, wordsText(after, k + cue.split(' ').length))) return null;
    if (k === i) {
      // Cue first: `," said Mr Blair`, `," added the spokesman`.
      const speaker = speakerAfter(after, k + cue.split(' ').length, paragraphBase);
      return speaker ? { speaker, cue, adjacent: true } : null;
    }
    if (cue === 'according to' || cue === 'assessment of') {
      const speaker = speakerAfter(after, k + cue.split(' ').length, paragraphBase);
      return speaker ? { speaker, cue, adjacent: true } : null;
    }
    if (cue === 'put it' || cue === 'puts it') {
      // "as one activist put it"
      const speaker = speakerBefore(after, k, paragraphBase);
      return speaker ? { speaker, cue, adjacent: true } : null;
    }
    // Speaker first: `," he said`, `," Atticus' David Slager told`.
    const speaker = speakerBefore(after.slice(i, k), k - i, paragraphBase);
    if (!speaker) return null;
    return { speaker, cue, adjacent: true };
  }
  return reportingClauseAtEnd(after, paragraphBase);
}

/**
 * The reporting clause that ends the sentence after a comma: `was exerting "a 100% effort" to end the
 * violence, Mr Abbas said.`, `..., lenders have said.`, `..., said the BBA.`. The clause must run to the
 * sentence's end and hold only a speaker and a cue.
 */
function reportingClauseAtEnd(after: Token[], paragraphBase: number): Attribution | null {
  const last = after.length - 1;
  if (last < 1 || !/[.!?]$/.test((after[last] as Token).text)) return null;
  let comma = -1;
  for (let k = last - 1; k >= Math.max(0, last - 7); k--) {
    const text = (after[k] as Token).text;
    if (text.includes(QUOTE_CHAR)) return null;
    if (/,$/.test(text)) {
      comma = k;
      break;
    }
  }
  if (comma < 0) return null;
  const clause = after.slice(comma + 1);
  for (let k = 0; k < clause.length; k++) {
    const cue = cueAt(clause, k);
    if (!cue) continue;
    const n = cue.split(' ').length;
    if (k === 0) {
      const speaker = speakerAfter(clause, n, paragraphBase);
      return speaker ? { speaker, cue, adjacent: false } : null;
    }
    // Only the speaker (and auxiliaries) before the cue, and at most a time after it ("said on Monday").
    if (clause.length - (k + n) > 3) return null;
    const speaker = speakerBefore(clause.slice(0, k), k, paragraphBase);
    return speaker ? { speaker, cue, adjacent: false } : null;
  }
  return null;
}

function wordsText(words: Token[], from: number): string {
  return ` ${words
    .slice(from, from + 3)
    .map((w) => w.text)
    .join(' ')}`;
}

/** The nearest cue before a quotation in its sentence, with the speaker phrase in front of it. */
function attributionBefore(
  before: Token[],
  paragraphBase: number,
  sentenceStart: Token[],
): Attribution | null {
  for (let k = before.length - 1; k >= 0; k--) {
    const t = before[k] as Token;
    if (t.text.includes(QUOTE_CHAR) && k < before.length - 3) {
      // Another quotation between: `"X," he said, "Y"` keeps going; `"X" and "Y"` too. Stop at a sentence-like break.
    }
    const cue = cueAt(before, k);
    if (!cue) continue;
    const n = cue.split(' ').length;
    if (notSpeech(cue, wordsText(before, k + n))) continue;
    const adjacent = isAdjacent(before, k + n);
    const between = before.slice(k + n);
    const remote = between.length > 14 || between.some((t) => t.text.includes(QUOTE_CHAR));
    if (cue === 'according to') {
      const speaker = speakerAfter(before, k + n, paragraphBase);
      return { speaker, cue, adjacent, remote };
    }
    if (cue === 'quoted as saying') {
      let j = k - 1;
      while (j >= 0 && AUXILIARIES.has(lower(clean((before[j] as Token).text)))) j--;
      return { speaker: speakerBefore(before, j + 1, paragraphBase), cue, adjacent, remote };
    }
    // "wrote to the watchdog saying:": a participle's speaker is the sentence's subject, not the object before it.
    let speaker = PARTICIPLES.has(cue) ? subjectOf(sentenceStart, paragraphBase) : null;
    speaker ??= speakerBefore(before, k, paragraphBase);
    // A second verb of the sentence's subject: "Mr Milburn said he understood, but insisted that "...".
    if (!speaker && k > 0 && /^(but|and|yet|also)$/i.test(clean((before[k - 1] as Token).text)))
      speaker = subjectOf(sentenceStart, paragraphBase);
    // The cue first: `"A," insisted Mr Sener, "B."` (the second part), `Said the Pew report: "..."`.
    if (!speaker && adjacent) speaker = speakerAfter(before, k + n, paragraphBase);
    return { speaker, cue, adjacent, remote };
  }
  return null;
}

/** Whether only an object and punctuation stand between a cue and the quotation (`told the BBC: "`). */
function isAdjacent(before: Token[], from: number): boolean {
  const rest = before.slice(from);
  if (rest.length === 0) return true;
  if (rest.length > 6) return false;
  const last = rest.at(-1) as Token;
  return /[:,]$/.test(last.text) || lower(clean(last.text)) === 'that';
}

/** The subject at the start of a sentence: its first name run, pronoun or role phrase. */
function subjectOf(sentence: Token[], paragraphBase: number): RawSpeaker | null {
  // The sentence's opening noun phrase: names, determiners and job titles ("Lib Dem chairman Matthew
  // Taylor", "A Labour Party spokesman"), up to the first other word or a comma.
  const head: Token[] = [];
  // A short opening adverbial ("Earlier,", "On Monday,", "In a statement,") is not the subject.
  const comma = sentence.slice(0, 4).findIndex((t) => /,$/.test(t.text));
  const opener = comma >= 0 ? sentence.slice(0, comma + 1) : [];
  const skip =
    opener.length > 0 && FUNCTION_WORDS.has(lower(clean((opener[0] as Token).text))) ? opener.length : 0;
  let lead = skip;
  // "But novelist Gore Vidal defended ...": a conjunction or adverb opening the sentence is not the subject.
  while (lead < sentence.length - 1 && CONJUNCTIONS.has(lower(clean((sentence[lead] as Token).text)))) lead++;
  for (const t of sentence.slice(lead)) {
    if (t.text.includes(QUOTE_CHAR)) break;
    const w = clean(t.text);
    const lw = lower(w);
    if (
      !(
        isNameToken(w) ||
        ROLE_DETERMINERS.has(lw) ||
        ROLE_TITLES.has(lw) ||
        (head.length > 0 && ROLE_NOUNS.test(w)) ||
        (/^\p{Ll}+$/u.test(w) && JOB_ENDING.test(w) && !/[,;:]$/.test(t.text))
      )
    )
      break;
    head.push(t);
    if (/[,;:]$/.test(t.text) || head.length > 8) break;
  }
  if (head.length === 0) return null;
  const first = lower(clean((head[0] as Token).text));
  if (PRONOUNS.has(first))
    return {
      kind: 'pronoun',
      words: [first],
      text: clean((head[0] as Token).text),
      at: (head[0] as Token).start + paragraphBase,
    };
  // The name nearest the verb: the last run of capitalised words in the phrase.
  let end = head.length - 1;
  while (end >= 0 && !isNameToken(clean((head[end] as Token).text))) end--;
  if (end < head.length - 1) {
    // "A Labour Party spokesman told ...": a role, capitals and all.
    if (ROLE_DETERMINERS.has(first) && ROLE_NOUNS.test(clean((head.at(-1) as Token).text)))
      return parseSpeaker(head, paragraphBase);
    if (end < 0) return null;
  }
  let start = end;
  while (start > 0 && isNameToken(clean((head[start - 1] as Token).text))) start--;
  const runTokens = head.slice(start, end + 1);
  // "Tony Blair's official spokesman said": a role, named by whose it is.
  if (
    /['’]s?,?$/.test((runTokens.at(-1) as Token).text) &&
    end < head.length - 1 &&
    ROLE_NOUNS.test(clean((head.at(-1) as Token).text))
  )
    return {
      kind: 'role',
      words: head.map((t) => clean(t.text)),
      text: head.map((t) => clean(t.text)).join(' '),
      at: (head[0] as Token).start + paragraphBase,
    };
  if (runTokens.some((t, i) => i < runTokens.length - 1 && /['’]s?$/.test(t.text))) return null;
  if (/['’]s?$/.test((runTokens.at(-1) as Token).text.replace(/[,;:]$/, ''))) return null;
  const parts = nameParts(runTokens.map((t) => clean(t.text)));
  if (parts.name.length === 0) return null;
  return {
    kind: 'name',
    words: parts.name,
    text: runTokens.map((t) => clean(t.text)).join(' '),
    at: (runTokens[0] as Token).start + paragraphBase,
  };
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** A run of capitalised words with no sentence punctuation: a title, a name, a slogan used as a name. */
function looksLikeTitle(text: string): boolean {
  const words = text.split(/\s+/).filter(Boolean);
  if (/[.!?,]$/.test(text.trim())) return false;
  const capital = words.filter((w) => /^[\p{Lu}\p{N}]/u.test(w)).length;
  return capital >= Math.ceil(words.length * 0.6);
}

interface Found {
  start: number;
  end: number;
  paragraph: number;
  attribution: Attribution | null;
  /** The quotation opens its sentence (nothing of the reporter's before it). */
  opensSentence: boolean;
  /** Fallback speaker for a long quotation with no cue: the subject of its sentence. */
  subject: RawSpeaker | null;
  /** The sentence (blanked) this quotation sits in, for "named in the next sentence". */
  nextSentence: Token[];
  raw: RawSpeaker | null;
}

export function extractQuotes(body: string): Quotation[] {
  // Most of the work is reading names; an article with no quotation mark has nothing to read them for.
  if (!/["“”«»„]/.test(body)) return [];
  const paragraphs: Array<{ base: number; text: string }> = [];
  for (const m of body.matchAll(/[^\n]+/g)) paragraphs.push({ base: m.index as number, text: m[0] });
  const blankedPieces: Array<{ text: string; base: number }> = [];
  const sentenceStarts: number[] = [];
  const found: Found[] = [];
  paragraphs.forEach(({ base, text }, p) => {
    const spans = markedSpans(text);
    const blanked = blankQuotes(text, spans);
    blankedPieces.push({ text: blanked, base });
    const sentences = sentenceRanges(blanked, text, spans);
    for (const [a] of sentences) sentenceStarts.push(base + a);
    if (spans.length === 0) return;
    for (const span of spans) {
      const s = sentences.findIndex(([a, b]) => span.open >= a && span.open < b);
      const [sa, sb] = sentences[s] ?? [0, blanked.length];
      const closeAt = span.close >= 0 ? span.close + 1 : span.end;
      const before = tokens(blanked.slice(sa, span.open), sa);
      const after = tokens(blanked.slice(closeAt, sb), closeAt);
      const sentenceTokens = tokens(blanked.slice(sa, sb), sa);
      const next = sentences[s + 1];
      const nextSentence = next ? tokens(blanked.slice(next[0], next[1]), next[0]) : [];
      const inner = text.slice(span.start, span.end);
      const endsLikeSpeech = /[,?!]['’]?$/.test(inner.trim());
      let attribution: Attribution | null = null;
      const a = attributionAfter(after, base);
      const b = attributionBefore(before, base, sentenceTokens);
      if (a && (endsLikeSpeech || !b?.adjacent)) attribution = a;
      else if (b) attribution = b;
      else attribution = a;
      found.push({
        start: base + span.start,
        end: base + span.end,
        paragraph: p,
        attribution,
        opensSentence: before.every((t) => t.text.includes(QUOTE_CHAR)) && before.length === 0,
        subject: subjectOf(sentenceTokens, base),
        nextSentence,
        raw: null,
      });
    }
  });

  if (found.length === 0) return [];
  const names = new Names(
    blankedPieces,
    found.map((f) => body.slice(f.start, f.end)),
  );
  const blankedBody = blankedPieces.reduce(
    (text, piece) => text.slice(0, piece.base) + piece.text + text.slice(piece.base + piece.text.length),
    body,
  );
  const context: Context = { names, sentenceStarts, blankedBody };
  const out: Quotation[] = [];
  let previous: { quotation: Quotation; paragraph: number } | null = null;
  for (const f of found) {
    const text = body.slice(f.start, f.end);
    const words = wordCount(text);
    let speaker: string | null = null;
    let speakerText: string | null = null;
    let cue: string | null = null;
    if (f.attribution) {
      const short = words <= 3;
      if (short && looksLikeTitle(text) && !f.attribution.adjacent) continue;
      // A short phrase is someone's words only when a nearby cue gives it to someone ("the attachment is
      // labelled as either "joke" or "price"", "accused X of "cheating" and was fined and "severely
      // reprimanded"" are not).
      if (short && (f.attribution.remote || !f.attribution.speaker)) continue;
      cue = f.attribution.cue;
      if (f.attribution.speaker) {
        speakerText = f.attribution.speaker.text;
        speaker = resolve(f.attribution.speaker, context, f, out);
        if (speaker && f.attribution.speaker.kind === 'name') names.confirm(speaker);
      }
      // `"First part," he said, adding "second part."`: the participle's subject is the first part's speaker.
      if (
        speaker === null &&
        PARTICIPLES.has(cue) &&
        previous?.quotation.speaker &&
        previous.paragraph === f.paragraph &&
        sentenceStarts.filter(
          (at) => at > (previous as { quotation: Quotation }).quotation.end && at < f.start,
        ).length === 0
      ) {
        speaker = previous.quotation.speaker;
        speakerText = previous.quotation.speakerText;
      }
    } else {
      const continues =
        f.opensSentence &&
        previous !== null &&
        previous.quotation.speaker !== null &&
        f.paragraph - previous.paragraph <= 1 &&
        // Nothing but the attribution between: no sentence of the reporter's own stands between the two.
        sentenceStarts.filter(
          (at) => at > (previous as { quotation: Quotation }).quotation.end && at < f.start,
        ).length <= 1;
      if (continues && previous) {
        speaker = previous.quotation.speaker;
        speakerText = previous.quotation.speakerText;
      } else {
        if (words <= 3 || looksLikeTitle(text)) continue;
        // A long quotation with no cue inside a sentence about someone: that someone, if a person.
        // One that opens its sentence right after a sentence about someone ("His friend, Saxon Spence,
        // lays the blame on one issue. "You cannot ..."): the person that sentence is about.
        const previousSentence = f.opensSentence ? previousSubject(f, context) : null;
        const about = f.opensSentence ? (previousSentence?.raw ?? null) : f.subject;
        if (about && (about.kind !== 'role' || previousSentence?.cued)) {
          const resolved = resolve(about, context, f, out);
          // A speaker the sentence before gives with a cue may be anyone; a mere subject must be a person.
          if (resolved && (previousSentence?.cued || isPersonSpeaker(resolved, names, out))) {
            speaker = resolved;
            speakerText = about.text;
          }
        }
      }
    }
    const quotation: Quotation = { start: f.start, end: f.end, speaker, speakerText, cue };
    out.push(quotation);
    previous = { quotation, paragraph: f.paragraph };
  }
  return out;
}

/**
 * The subject of the reporter's sentence just before a quotation that opens its own sentence (in the same
 * paragraph or ending the one before), or the person it cites ("according to Mr Lane"); null when that
 * sentence holds a quotation of its own or is not about a named person.
 */
function previousSubject(f: Found, context: Context): { raw: RawSpeaker; cued: boolean } | null {
  const here = context.sentenceStarts.findLastIndex((at) => at < f.start);
  const from = context.sentenceStarts[here - 1];
  const to = context.sentenceStarts[here];
  if (from === undefined || to === undefined) return null;
  const text = context.blankedBody.slice(from, to);
  if (text.includes(QUOTE_CHAR)) return null;
  const words = tokens(text, from);
  const according = words.findIndex(
    (t, i) => lower(clean(t.text)) === 'according' && lower(clean(words[i + 1]?.text ?? '')) === 'to',
  );
  if (according >= 0) {
    const cited = speakerAfter(words, according + 2, 0);
    if (cited?.kind === 'name') return { raw: cited, cued: true };
  }
  // Reported speech, then the words themselves: "The Cabinet Office said it was reviewing the scheme.
  // "Unions will of course be consulted."" The speaker of the reported speech.
  const reported = attributionBefore(words, 0, words);
  if (reported?.speaker) return { raw: reported.speaker, cued: true };
  const subject = subjectOf(words, 0);
  return subject?.kind === 'name' || subject?.kind === 'pronoun' ? { raw: subject, cued: false } : null;
}

/**
 * A name a pronoun or a cue-less quotation may be given: a person the article shows to be one (see
 * NameTable.isConfirmedPerson), or one already quoted by name. "Hong Kong" and "Animal Husbandry" look
 * like names of people; nothing in an article treats them as people.
 */
function isPersonSpeaker(name: string, names: NameTable, earlier: readonly Quotation[]): boolean {
  return names.isConfirmedPerson(name) || (names.isPerson(name) && earlier.some((q) => q.speaker === name));
}

/** A speaker phrase resolved within the article, or null when unsure. */
interface Context {
  names: NameTable;
  /** Where each sentence of the article starts (body offsets, ascending). */
  sentenceStarts: number[];
  /** The body with every quotation blanked (same offsets). */
  blankedBody: string;
}

function resolve(raw: RawSpeaker, context: Context, f: Found, earlier: Quotation[]): string | null {
  const { names } = context;
  if (raw.kind === 'name') {
    const name = names.fullest(raw.words, raw.at);
    return name.replace(/^(the|The) /, '');
  }
  if (raw.kind === 'pronoun') return resolvePronoun(raw, context, earlier);
  return resolveRole(raw, names, f, earlier, context);
}

/**
 * He or she: the subject of the nearest sentence before that names a person (its first person mention,
 * gender permitting), looking back from the pronoun's own sentence; the person a reporter writes about
 * is the subject, and people named later in a sentence are mostly its objects. It or they: the nearest
 * organisation that spoke before, else the nearest organisation named.
 */
function resolvePronoun(raw: RawSpeaker, context: Context, earlier: Quotation[]): string | null {
  const { names, sentenceStarts } = context;
  const pronoun = raw.words[0];
  if (pronoun === 'i' || pronoun === 'we' || pronoun === 'who') return null;
  const wantPerson = pronoun === 'he' || pronoun === 'she';
  const wantGender = pronoun === 'he' ? 'm' : pronoun === 'she' ? 'f' : null;
  if (wantPerson) {
    let s = sentenceStarts.findLastIndex((start) => start <= raw.at);
    let upTo = raw.at;
    // At most 20 sentences back: a pronoun further from any person named is not resolved (and an
    // article of many such pronouns is not read over and over).
    const stop = Math.max(0, s - 20);
    for (; s >= stop; s--) {
      const from = sentenceStarts[s] as number;
      const subject = subjectOf(tokens(context.blankedBody.slice(from, upTo), from), 0);
      if (subject?.kind === 'role' && subject.at < raw.at && !ORG_ANAPHORS.test(subject.text)) {
        return resolveRole(subject, names, null, earlier, context);
      }
      if (subject?.kind === 'name') {
        const name = names.fullest(subject.words, subject.at);
        const gender = names.gender(name);
        if (isPersonSpeaker(name, names, earlier) && !(wantGender && gender && gender !== wantGender))
          return name;
      }
      const people = names.mentions.filter(
        (m) =>
          m.at >= from &&
          m.at < upTo &&
          m.person &&
          isPersonSpeaker(m.name, names, earlier) &&
          !(wantGender && m.gender && m.gender !== wantGender),
      );
      if (people.length > 0) return (people[0] as (typeof people)[0]).name;
      upTo = from;
    }
    return null;
  }
  const lastOrgSpeaker = [...earlier]
    .reverse()
    .find(
      (q) =>
        q.speaker !== null && q.start < raw.at && !names.isPerson(q.speaker) && /^\p{Lu}/u.test(q.speaker),
    );
  if (lastOrgSpeaker) return lastOrgSpeaker.speaker;
  for (let i = names.mentions.length - 1; i >= 0; i--) {
    const m = names.mentions[i];
    if (m && m.at < raw.at && !m.person && isOrganisation(m.name.split(' '))) return m.name;
  }
  return null;
}

function resolveRole(
  raw: RawSpeaker,
  names: NameTable,
  f: Found | null,
  earlier: Quotation[],
  context: Context,
): string | null {
  const phrase = raw.words.map((w, i) => (i === 0 && ROLE_DETERMINERS.has(lower(w)) ? w.toLowerCase() : w));
  const text = phrase.join(' ');
  // "its report", "the firm": the organisation named before.
  if (ORG_ANAPHORS.test(text) || /^its (statement|report)$/.test(text)) {
    const spoke = [...earlier]
      .reverse()
      .find(
        (q) =>
          q.speaker !== null && q.start < raw.at && !names.isPerson(q.speaker) && /^\p{Lu}/u.test(q.speaker),
      );
    if (spoke) return spoke.speaker;
    for (let i = names.mentions.length - 1; i >= 0; i--) {
      const m = names.mentions[i];
      if (
        m &&
        m.at < raw.at &&
        !m.person &&
        (isOrganisation(m.name.split(' ')) || m.name.split(' ').length <= 2)
      ) {
        if (FUNCTION_WORDS.has(lower(m.name.split(' ')[0] as string))) continue;
        return m.name;
      }
    }
    return null;
  }
  // "a CAS statement": the organisation whose statement it is.
  if (/(statement|report)$/.test(text)) {
    const caps = raw.words.filter((w) => /^\p{Lu}/u.test(w));
    if (caps.length > 0) return names.fullest(caps, raw.at);
    return null;
  }
  // "the finance minister said. Herve Gaymard ...": a definite role named at the start of the next sentence.
  if (phrase[0] === 'the') {
    const named = namedRole(raw, names, context);
    if (named) return named;
  }
  if (phrase[0] === 'the' && f && f.nextSentence.length > 0) {
    const run = capitalRuns(
      f.nextSentence
        .slice(0, 4)
        .map((t) => t.text)
        .join(' '),
      0,
    )[0];
    if (run && run.at === 0 && !run.possessive) {
      const parts = nameParts(run.words);
      if (parts.name.length >= 2 && names.isPerson(parts.name.join(' ')))
        return names.fullest(parts.name, raw.at);
    }
  }
  // A name inside the role ("a spokesman for Mr Blair") gets its fullest form.
  const out = raw.words.map((w, i) => (i === 0 && ROLE_DETERMINERS.has(lower(w)) ? w.toLowerCase() : w));
  const forAt = out.findIndex((w) => w === 'for' || w === 'of' || w === 'at' || w === 'from');
  if (forAt > 0 && forAt < out.length - 1) {
    const tail = out.slice(forAt + 1);
    const parts = nameParts(tail);
    if (parts.name.length > 0 && parts.name.every((w) => isNameToken(w)))
      return [...out.slice(0, forAt + 1), names.fullest(parts.name, raw.at)].join(' ');
  }
  return out.join(' ');
}

/**
 * "the Arsenal boss" where the article writes "Arsenal boss Arsene Wenger" (or "Arsene Wenger, the
 * Arsenal boss"): the person the article gives that role, nearest before the quotation, else the first after.
 */
function namedRole(raw: RawSpeaker, names: NameTable, context: Context): string | null {
  const head = raw.words.at(-1) as string;
  const qualifiers = raw.words.slice(1, -1).map(lower);
  const found: Array<{ at: number; name: string }> = [];
  for (const m of names.mentions) {
    if (!m.person || !names.isPerson(m.name)) continue;
    const before = context.blankedBody.slice(Math.max(0, m.at - 60), m.at);
    const after = context.blankedBody.slice(m.at, m.at + 120);
    const preceding = new RegExp(`\\b${escapeRegExp(head)}\\s+(?:(?:Mr|Mrs|Ms|Dr|Sir)\\s+)?$`, 'i').test(
      before,
    );
    const apposed = new RegExp(
      `^[^,]{1,40},\\s+(?:the|a)\\s+(?:[\\p{L}'’-]+\\s+){0,4}${escapeRegExp(head)}\\b`,
      'iu',
    ).test(after);
    if (!preceding && !apposed) continue;
    const context60 = (preceding ? before : after).toLowerCase();
    if (qualifiers.length > 0 && !qualifiers.some((q) => context60.includes(q))) continue;
    found.push({ at: m.at, name: m.name });
  }
  const distinct = new Set(found.map((f) => f.name));
  if (distinct.size === 0) return null;
  if (distinct.size === 1) return (found[0] as { name: string }).name;
  const before = found.filter((f) => f.at < raw.at).at(-1);
  return before ? before.name : null;
}

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
