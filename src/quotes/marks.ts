/**
 * Quoted spans in one paragraph: which double quotation marks open and which close, paired.
 *
 * Straight marks (`"`) say nothing about their direction, so each mark is read from its neighbours: one
 * after a space or the paragraph start and before a letter opens, one after a letter and before a space or
 * punctuation closes. Newspapers reopen a quotation at every paragraph it runs over without closing the
 * one before (`"A. "B."`), and archives that merged short paragraphs keep that inside one line: a mark that
 * can only open, met inside a quotation, ends the open one just before itself. A quotation still open at
 * the paragraph end ends there: a missing closing mark never swallows the next paragraph.
 */

export interface MarkedSpan {
  /** Offsets of the text between the marks (the marks excluded), within the paragraph. */
  start: number;
  end: number;
  /** Where the opening mark is, and the closing one (-1: ended by the next opening mark or the paragraph end). */
  open: number;
  close: number;
}

const OPENERS = new Set(['"', '“', '«', '„']);
const SPACE_OR_START = /^$|[\s([{\u2014\u2013\-/:;]/u;
const WORDISH = /[\p{L}\p{N}'’.…$£€([]/u;
const AFTER_CLOSE = /^$|[\s,.;:!?)\]}\u2014\u2013\-'’s…]/u;

function canOpen(text: string, i: number): boolean {
  const before = text[i - 1] ?? '';
  const after = text[i + 1] ?? '';
  return SPACE_OR_START.test(before) && WORDISH.test(after);
}

function canClose(text: string, i: number): boolean {
  const before = text[i - 1] ?? '';
  const after = text[i + 1] ?? '';
  return before !== '' && !/\s/.test(before) && AFTER_CLOSE.test(after);
}

/** Whether `mark` at `i` closes a quotation opened by `opener`. */
function closes(text: string, i: number, opener: string): boolean {
  const mark = text[i] as string;
  if (opener === '«') return mark === '»';
  if (opener === '„') return mark === '“' || mark === '”' || mark === '"';
  if (opener === '“') return (mark === '”' || mark === '"') && canClose(text, i);
  // A straight opener: a straight or curly closer that sits like one.
  return (mark === '"' || mark === '”') && canClose(text, i);
}

/** The quoted spans of one paragraph (no line breaks inside), in order. */
export function markedSpans(paragraph: string): MarkedSpan[] {
  const spans: MarkedSpan[] = [];
  let open = -1;
  let opener = '';
  const endBefore = (at: number): number => {
    let end = at;
    while (end > open + 1 && /\s/.test(paragraph[end - 1] as string)) end--;
    return end;
  };
  for (const found of paragraph.matchAll(/["“”«»„]/g)) {
    const i = found.index as number;
    const mark = found[0];
    if (open < 0) {
      if (OPENERS.has(mark) && mark !== '”' && canOpen(paragraph, i)) {
        open = i;
        opener = mark;
      }
      continue;
    }
    if (closes(paragraph, i, opener)) {
      if (i > open + 1) spans.push({ start: open + 1, end: i, open, close: i });
      open = -1;
    } else if (OPENERS.has(mark) && canOpen(paragraph, i) && mark !== '”') {
      // Reopened without a close: the open quotation ends before this mark (the paragraph convention).
      const end = endBefore(i);
      if (end > open + 1) spans.push({ start: open + 1, end, open, close: -1 });
      open = i;
      opener = mark;
    }
  }
  if (open >= 0) {
    const end = endBefore(paragraph.length);
    if (end > open + 1) spans.push({ start: open + 1, end, open, close: -1 });
  }
  return spans;
}
