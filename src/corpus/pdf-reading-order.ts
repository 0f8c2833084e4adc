/**
 * Reading order of a PDF page. pdf.js returns a page's text in the order the file draws it, which for two
 * columns often alternates between them line by line. Here the text runs are put back in reading order by
 * their positions: a recursive XY cut (columns left to right where a gutter runs through a region, else
 * bands top to bottom at the widest horizontal gap), then lines within each region.
 */

/** One piece of text as pdf.js places it, in page units with y growing upwards; `y` is the baseline. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  /** Advance along the baseline. */
  width: number;
  /** Font size (the text matrix's vertical scale). */
  size: number;
}

/** A line of one region of the page, its runs joined with the spaces their gaps call for. */
export interface PageLine {
  text: string;
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  size: number;
  /** Index of the region (column or band) the line belongs to, in reading order. */
  region: number;
}

/** A gutter must be at least this many body-text ems wide to split columns. */
const GUTTER_EMS = 0.9;
/** A column is at least this many ems wide: list bullets and numbers stay with their lines. */
const MIN_COLUMN_EMS = 3;
/** Runs this close (in ems) are one word; wider gaps are a space. */
const SPACE_EMS = 0.15;
/** Cuts nest at most this deep; deeper regions are read top to bottom (bounded work for hostile pages). */
const MAX_DEPTH = 40;
/** Above this many runs, a page is read in plain top-to-bottom order (bounded work for hostile pages). */
const MAX_RUNS_FOR_LAYOUT = 20_000;

interface Box {
  run: TextRun;
  x0: number;
  x1: number;
  bottom: number;
  top: number;
}

/** The page's lines in reading order. */
export function readingOrder(runs: readonly TextRun[]): PageLine[] {
  const boxes = runs
    .filter((r) => r.text.trim() !== '' && r.size > 0 && Number.isFinite(r.x) && Number.isFinite(r.y))
    .map(toBox);
  if (boxes.length === 0) return [];
  const em = medianSize(boxes);
  const regions: Box[][] = [];
  if (boxes.length > MAX_RUNS_FOR_LAYOUT) regions.push(boxes);
  else cut(boxes, em, regions, 0);
  return regions.flatMap((region, index) => linesOf(region, index));
}

function toBox(run: TextRun): Box {
  // A glyph box from the baseline: descenders about 0.2 em below it, capitals about 0.8 em above.
  const x1 = run.x + Math.max(0, run.width);
  return { run, x0: run.x, x1, bottom: run.y - 0.2 * run.size, top: run.y + 0.8 * run.size };
}

function medianSize(boxes: readonly Box[]): number {
  const sizes = boxes.map((b) => b.run.size).sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] as number;
}

/**
 * Splits a region into columns (a vertical gutter through the whole region, or runs whose starts line up
 * as a second column) or else into bands at its widest horizontal gaps, recursively; regions that cannot
 * be split are pushed to `out` in reading order.
 */
function cut(boxes: Box[], em: number, out: Box[][], depth: number): void {
  const parts =
    depth >= MAX_DEPTH
      ? null
      : (splitColumns(boxes, em) ?? splitAlignedColumns(boxes, em) ?? splitBands(boxes));
  if (!parts) out.push(boxes);
  else for (const part of parts) cut(part, em, out, depth + 1);
}

/** Columns at every vertical gap of at least a gutter's width, left to right; null when there is none. */
function splitColumns(boxes: Box[], em: number): Box[][] | null {
  const sorted = [...boxes].sort((a, b) => a.x0 - b.x0);
  const columns: Array<{ x0: number; x1: number; boxes: Box[] }> = [];
  for (const box of sorted) {
    const last = columns.at(-1);
    if (last && box.x0 - last.x1 < GUTTER_EMS * em) {
      last.boxes.push(box);
      last.x1 = Math.max(last.x1, box.x1);
    } else columns.push({ x0: box.x0, x1: box.x1, boxes: [box] });
  }
  // A narrow strip (bullets, list numbers, a page number) is no column: it stays with its neighbour.
  for (let i = columns.length - 1; i >= 0 && columns.length > 1; i--) {
    const column = columns[i] as (typeof columns)[number];
    if (column.x1 - column.x0 >= MIN_COLUMN_EMS * em) continue;
    const into = columns[i + 1] ?? (columns[i - 1] as (typeof columns)[number]);
    into.boxes.push(...column.boxes);
    into.x0 = Math.min(into.x0, column.x0);
    into.x1 = Math.max(into.x1, column.x1);
    columns.splice(i, 1);
  }
  return columns.length > 1 ? columns.map((c) => c.boxes) : null;
}

/**
 * Columns whose text touches or overlaps (no clear gutter) but whose lines start at the same two places:
 * at least three lines, and most lines of two or more runs, have a later run starting at one position,
 * with a column's worth of text before it that reaches up to it (a list's bullets or numbers, far to the
 * left of their text, are no column). The runs starting left of that position are the first column.
 */
function splitAlignedColumns(boxes: Box[], em: number): Box[][] | null {
  const split = groupLines(boxes).filter((line) => line.length > 1);
  if (split.length < 3) return null;
  const step = 0.25 * em;
  const counts = new Map<number, number>();
  for (const line of split) {
    const starts = new Set(line.slice(1).map((b) => Math.round(b.x0 / step)));
    for (const s of starts) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best: [number, number] | null = null;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  if (!best || best[1] < 3 || best[1] < split.length * 0.6) return null;
  const at = (best[0] - 0.5) * step;
  const aligned = split.filter((line) =>
    line.some((b, i) => i > 0 && Math.abs(b.x0 - at - 0.5 * step) <= step),
  );
  const before = aligned.map((line) => line.filter((b) => b.x0 < at));
  const substantial = before.every(
    (runs) =>
      runs.length > 0 &&
      runs.reduce((n, b) => n + b.run.text.trim().length, 0) >= 8 &&
      at - Math.max(...runs.map((b) => b.x1)) <= 1.5 * em &&
      at - Math.min(...runs.map((b) => b.x0)) >= MIN_COLUMN_EMS * em,
  );
  if (!substantial) return null;
  const left = boxes.filter((b) => b.x0 < at);
  const right = boxes.filter((b) => b.x0 >= at);
  return left.length > 0 && right.length > 0 ? [left, right] : null;
}

/**
 * Bands at the widest horizontal gap, top to bottom; gaps as wide as it (within a tenth of an em, as
 * between the evenly spaced lines of a column) are cut at once. Null when nothing leaves a gap.
 */
function splitBands(boxes: Box[]): Box[][] | null {
  const sorted = [...boxes].sort((a, b) => b.top - a.top);
  const gaps: Array<{ at: number; width: number }> = [];
  let floor = Number.POSITIVE_INFINITY;
  sorted.forEach((box, i) => {
    if (i > 0 && floor - box.top > 0) gaps.push({ at: i, width: floor - box.top });
    floor = Math.min(floor, box.bottom);
  });
  if (gaps.length === 0) return null;
  const widest = Math.max(...gaps.map((g) => g.width));
  const tolerance = 0.1 * medianSize(boxes);
  const cuts = gaps.filter((g) => g.width >= widest - tolerance).map((g) => g.at);
  const bands: Box[][] = [];
  let from = 0;
  for (const at of cuts) {
    bands.push(sorted.slice(from, at));
    from = at;
  }
  bands.push(sorted.slice(from));
  return bands;
}

/** Runs grouped into lines (glyph boxes overlapping by half their height), top to bottom, left to right. */
function groupLines(boxes: readonly Box[]): Box[][] {
  const lines: Array<{ bottom: number; top: number; boxes: Box[] }> = [];
  for (const box of [...boxes].sort((a, b) => b.run.y - a.run.y || a.x0 - b.x0)) {
    // Sorted by baseline, a run can only belong to one of the last few lines.
    let line: (typeof lines)[number] | undefined;
    for (let i = lines.length - 1; i >= Math.max(0, lines.length - 4) && !line; i--) {
      const l = lines[i] as (typeof lines)[number];
      if (overlap(l, box) >= 0.5 * Math.min(l.top - l.bottom, box.top - box.bottom)) line = l;
    }
    if (line) line.boxes.push(box);
    else lines.push({ bottom: box.bottom, top: box.top, boxes: [box] });
  }
  return lines.map((l) => l.boxes.sort((a, b) => a.x0 - b.x0));
}

function overlap(a: { bottom: number; top: number }, b: { bottom: number; top: number }): number {
  return Math.min(a.top, b.top) - Math.max(a.bottom, b.bottom);
}

function linesOf(region: Box[], index: number): PageLine[] {
  return groupLines(region).map((boxes) => {
    let text = '';
    let reach = Number.NEGATIVE_INFINITY;
    for (const box of boxes) {
      const piece = box.run.text.replace(/\s+/g, ' ');
      const gap = box.x0 - reach;
      if (text !== '' && !text.endsWith(' ') && !piece.startsWith(' ') && gap > SPACE_EMS * box.run.size)
        text += ' ';
      text += piece;
      reach = Math.max(reach, box.x1);
    }
    // The line's size and baseline are those of the run holding most of its characters (not a drop cap).
    const main = boxes.reduce((best, b) => (b.run.text.length > best.run.text.length ? b : best));
    return {
      text: text.trim(),
      x0: Math.min(...boxes.map((b) => b.x0)),
      x1: Math.max(...boxes.map((b) => b.x1)),
      y: main.run.y,
      size: main.run.size,
      region: index,
    };
  });
}
