import type { PageLine } from './pdf-reading-order.js';

/** A line that is only a page number: `7`, `- 7 -`, `Page 7`, `7 of 12`, `vii`. */
const PAGE_NUMBER = /^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/**
 * Pages without their furniture, found among the lines at the very top and bottom of each page: a page
 * number alone; a running head or footer (the same line, numbers aside, on at least three pages); and a
 * line that starts or ends with the page's printed number (`Chapter 2: Results 13`, `14 Annual report`),
 * recognised by that number rising with the page on at least three pages.
 */
export function dropPageFurniture(pages: readonly PageLine[][]): PageLine[][] {
  const edges = pages.map(edgeLines);
  const seen = new Map<string, number>();
  const offsets = new Map<number, number>();
  edges.forEach((lines, i) => {
    for (const key of new Set(lines.map(furnitureKey))) seen.set(key, (seen.get(key) ?? 0) + 1);
    for (const offset of new Set(lines.flatMap((l) => numberOffsets(l, i))))
      offsets.set(offset, (offsets.get(offset) ?? 0) + 1);
  });
  const numbered = new Set([...offsets].filter(([, count]) => count >= 3).map(([offset]) => offset));
  const isFurniture = (line: PageLine, page: number) =>
    PAGE_NUMBER.test(line.text) ||
    (seen.get(furnitureKey(line)) ?? 0) >= 3 ||
    numberOffsets(line, page).some((offset) => numbered.has(offset));
  return pages.map((lines, i) => {
    const edge = new Set(edges[i]);
    return lines.filter((line) => !(edge.has(line) && isFurniture(line, i)));
  });
}

/** The lines at the very top and bottom of a page (of a page with more than one line). */
function edgeLines(lines: readonly PageLine[]): PageLine[] {
  if (lines.length < 2) return lines.filter((l) => PAGE_NUMBER.test(l.text));
  const top = Math.max(...lines.map((l) => l.y));
  const bottom = Math.min(...lines.map((l) => l.y));
  return lines.filter((l) => l.y >= top - 0.5 * l.size || l.y <= bottom + 0.5 * l.size);
}

function furnitureKey(line: PageLine): string {
  return line.text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');
}

/** For a number at the start or end of a line on page `index` (0-based): the number minus the page. */
function numberOffsets(line: PageLine, index: number): number[] {
  const numbers = [/^(\d{1,4})\s/.exec(line.text)?.[1], /\s(\d{1,4})$/.exec(line.text)?.[1]];
  return numbers.filter((n): n is string => n !== undefined).map((n) => Number(n) - index);
}
