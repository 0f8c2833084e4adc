/** A sentence of an article: `body.slice(start, end)` is its exact text, without surrounding space. */
export interface SentenceSpan {
  start: number;
  end: number;
  /** Index of the paragraph (a line of the body) the sentence belongs to. */
  paragraph: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Abbreviations after which ICU's sentence rules break although the sentence goes on. */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof gov sen rep gen col lt sgt capt cmdr adm maj st jr sr rev hon pres supt insp ' +
    'inc corp co ltd bros no nos vs etc approx est dept univ ave blvd rd mt ft fig vol ch pp ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec'
  ).split(' '),
);

/**
 * Splits an article body into sentences with `Intl.Segmenter`, never across a line break (each line is a
 * paragraph), and mends the breaks ICU makes after common abbreviations (`Aug. 28`, `Dr. Li`) and initials.
 */
export function splitSentences(body: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let paragraph = 0;
  let lineStart = 0;
  while (lineStart <= body.length) {
    const newline = body.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? body.length : newline;
    const line = body.slice(lineStart, lineEnd);
    if (line.trim() !== '') {
      for (const span of splitLine(line))
        spans.push({ start: lineStart + span.start, end: lineStart + span.end, paragraph });
      paragraph++;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return spans;
}

function splitLine(line: string): Array<{ start: number; end: number }> {
  const pieces: Array<{ start: number; end: number }> = [];
  for (const { segment, index } of segmenter.segment(line)) {
    const lead = segment.length - segment.trimStart().length;
    const text = segment.trim();
    if (text === '') continue;
    const piece = { start: index + lead, end: index + lead + text.length };
    const previous = pieces[pieces.length - 1];
    if (previous && continuesAfter(line.slice(previous.start, previous.end), text)) previous.end = piece.end;
    else pieces.push(piece);
  }
  return pieces;
}

/** True when ICU broke after an abbreviation or an initial rather than at a real sentence end. */
function continuesAfter(previous: string, next: string): boolean {
  const lastWord = /(\S+)\.$/.exec(previous)?.[1];
  if (!lastWord) return false;
  const bare = lastWord.replace(/^[("'“‘[]+/, '').toLowerCase();
  if (ABBREVIATIONS.has(bare)) return true;
  // A middle initial (`John F. Kennedy`): one capital letter after a word.
  if (/^[A-Z]$/.test(lastWord) && /\s[A-Z][a-z]+\s+[A-Z]\.$/.test(` ${previous}`)) return /^[A-Z]/.test(next);
  return false;
}
