import type { MarkedSpan } from './marks.js';

/**
 * A paragraph with its quotations blanked out, and its sentences. Attribution reads only the reporter's
 * own words around a quotation; blanking keeps every offset (each quoted character, marks included,
 * becomes QUOTE_CHAR) so that what is found maps straight back to the article.
 */
export const QUOTE_CHAR = '\u00a7';

export interface Token {
  text: string;
  /** Offsets within the paragraph. */
  start: number;
  end: number;
}

export function blankQuotes(paragraph: string, spans: MarkedSpan[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    const to = span.close >= 0 ? span.close + 1 : span.end;
    out += paragraph.slice(at, span.open) + QUOTE_CHAR.repeat(to - span.open);
    at = to;
  }
  return out + paragraph.slice(at);
}

export function tokens(text: string, base = 0): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[^\s]+/g)) {
    out.push({
      text: m[0],
      start: base + (m.index as number),
      end: base + (m.index as number) + m[0].length,
    });
  }
  return out;
}

const TITLE_ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'prof',
  'gen',
  'sen',
  'rep',
  'gov',
  'col',
  'capt',
  'lt',
  'sgt',
  'rev',
  'no',
  'vs',
  'v',
]);
/** Other abbreviations a stop does not end a sentence after: suffixes, companies, months, Latin. */
const ABBREVIATIONS = new Set([
  ...TITLE_ABBREVIATIONS,
  'jr',
  'sr',
  'inc',
  'co',
  'corp',
  'ltd',
  'jan',
  'feb',
  'aug',
  'sept',
  'sep',
  'oct',
  'nov',
  'dec',
  'etc',
  'eg',
  'ie',
]);

/**
 * Sentence ranges of a blanked paragraph: a stop (. ! ?) followed by a space and a capital, a digit or
 * a quotation; a quotation that ends with a stop (or runs to the next opening mark) and is followed the
 * same way also ends its sentence. A stop after an initial or a short abbreviation does not.
 */
export function sentenceRanges(
  blanked: string,
  paragraph: string,
  spans: MarkedSpan[],
): Array<[number, number]> {
  const cuts = new Set<number>();
  const startsSentence = (from: number): boolean => {
    let i = from;
    while (i < blanked.length && /\s/.test(blanked[i] as string)) i++;
    if (i === from && i < blanked.length) return false;
    const c = blanked[i];
    return c === undefined || c === QUOTE_CHAR || /[\p{Lu}\p{N}'‘]/u.test(c);
  };
  for (let i = 0; i < blanked.length; i++) {
    const c = blanked[i] as string;
    if (c !== '.' && c !== '!' && c !== '?') continue;
    const word = /([\p{L}.]+)$/u.exec(blanked.slice(Math.max(0, i - 12), i))?.[1] ?? '';
    const abbreviated =
      c === '.' &&
      (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word) || /\.\p{L}$/u.test(word));
    // "... of Dean Witter Reynolds Inc. "The economy ..." still ends there: a quotation opens next
    // (a title like "Mr." never stands before one).
    const quoteNext =
      /^\s+\u00a7/.test(blanked.slice(i + 1, i + 4)) && !TITLE_ABBREVIATIONS.has(word.toLowerCase());
    if (abbreviated && !quoteNext) continue;
    let j = i + 1;
    while (j < blanked.length && /[)\]'’]/.test(blanked[j] as string)) j++;
    if (startsSentence(j)) cuts.add(j);
  }
  for (const span of spans) {
    const inner = paragraph.slice(span.start, span.end).trimEnd();
    const after = span.close >= 0 ? span.close + 1 : span.end;
    const stops = /[.!?…]['’]?$/.test(inner) || span.close < 0;
    if (stops && startsSentence(after)) cuts.add(after);
  }
  const ordered = [...cuts].filter((c) => c > 0 && c < blanked.length).sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (const cut of ordered) {
    if (cut > from) ranges.push([from, cut]);
    from = cut;
  }
  ranges.push([from, blanked.length]);
  return ranges;
}
