import type { PageLine } from './pdf-reading-order.js';

/** A paragraph of a page: its lines joined (words hyphenated at a line end mended), and its font size. */
export interface Paragraph {
  text: string;
  size: number;
}

/** Sentence-final punctuation (with closing quotes and brackets): text ending so does not run on. */
const ENDS_SENTENCE = /[.!?…:;]["”’')\]]*$/;
const LIST_ITEM = /^(?:[•▪◦‣∙●○■□➢►–-]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)/;

/**
 * The page's lines (in reading order) as paragraphs. A line starts a new paragraph when it does not sit
 * just below the previous one in the same column (a wider gap, a new column or region), changes font size
 * (a heading), is indented while running to the margin, is a list item, or follows a short line that
 * ends a sentence. Otherwise it continues the paragraph: a word hyphenated at the line end is joined.
 */
export function paragraphsOf(lines: readonly PageLine[]): Paragraph[] {
  const leading = typicalLeading(lines);
  const paragraphs: Array<Paragraph & { last: PageLine; before: PageLine | null; listItem: boolean }> = [];
  for (const line of lines) {
    const current = paragraphs.at(-1);
    // A list item's lines hang indented; a line further left than them is the text after the list.
    const leavesList = current?.listItem === true && line.x0 < current.last.x0 - line.size;
    if (current && !leavesList && continuesParagraph(current.last, line, current.before, leading)) {
      current.text = joinLines(current.text, line.text);
      current.before = current.last;
      current.last = line;
    } else
      paragraphs.push({
        text: line.text,
        size: line.size,
        last: line,
        before: null,
        listItem: LIST_ITEM.test(line.text),
      });
  }
  return paragraphs.map(({ text, size }) => ({ text, size }));
}

/** The usual distance between the baselines of consecutive lines of a column, per em of font size. */
function typicalLeading(lines: readonly PageLine[]): number {
  const steps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1] as PageLine;
    const b = lines[i] as PageLine;
    const step = (a.y - b.y) / b.size;
    if (step > 0.5 && step < 3 && Math.abs(a.size - b.size) < 0.1 * b.size && overlapsAcross(a, b))
      steps.push(step);
  }
  steps.sort((x, y) => x - y);
  return steps[Math.floor(steps.length / 2)] ?? 1.25;
}

function overlapsAcross(a: PageLine, b: PageLine): boolean {
  return Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0);
}

function continuesParagraph(
  previous: PageLine,
  line: PageLine,
  beforePrevious: PageLine | null,
  leading: number,
): boolean {
  const em = Math.max(previous.size, line.size);
  if (Math.abs(previous.size - line.size) > 0.15 * em) return false;
  if (LIST_ITEM.test(line.text)) return false;
  // The same baseline, further right: a line that was cut at a wide gap goes on.
  if (Math.abs(previous.y - line.y) < 0.3 * em && line.x0 >= previous.x1 - 0.5 * em) return true;
  const step = (previous.y - line.y) / line.size;
  if (step <= 0.3 || step > leading * 1.4 + 0.1) return false;
  if (!overlapsAcross(previous, line)) return false;
  // A first-line indent: further in than the line above while reaching its right margin.
  if (line.x0 - previous.x0 >= 0.8 * em && line.x1 >= previous.x1 - 2 * em) return false;
  // A short line that ends a sentence ends its paragraph.
  const margin = Math.max(previous.x1, line.x1, beforePrevious?.x1 ?? 0);
  if (previous.x1 < margin - 3 * em && ENDS_SENTENCE.test(previous.text)) return false;
  return true;
}

/**
 * Two lines of one paragraph as one text: a soft hyphen at the end goes; a word hyphenated at the line end
 * is joined when the next line goes on in lower case (`develop-` `ment`), and keeps its hyphen otherwise
 * (`COVID-` `19`); a dash or slash at the end joins without a space; anything else gets a space.
 */
export function joinLines(text: string, next: string): string {
  if (text.endsWith('\u00ad')) return text.slice(0, -1) + next;
  if (/\p{L}[-\u2010]$/u.test(text)) return /^\p{Ll}/u.test(next) ? text.slice(0, -1) + next : text + next;
  if (/[—–/]$/.test(text) && !/\s[—–]$/.test(text)) return text + next;
  return `${text} ${next}`;
}

/**
 * True when text ending one column or page runs on into the text that begins the next: the first does not
 * end a sentence (or ends in a hyphenated word) and the second begins in lower case.
 */
export function runsOn(text: string, next: string): boolean {
  if (!/^\p{Ll}/u.test(next)) return false;
  return !ENDS_SENTENCE.test(text.trimEnd());
}

/** Paragraphs joined across column and region breaks where a sentence runs on. */
export function mergeRunOns(paragraphs: readonly Paragraph[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (const p of paragraphs) {
    const last = out.at(-1);
    if (
      last &&
      Math.abs(last.size - p.size) <= 0.15 * Math.max(last.size, p.size) &&
      runsOn(last.text, p.text)
    )
      last.text = joinLines(last.text, p.text);
    else out.push({ ...p });
  }
  return out;
}
