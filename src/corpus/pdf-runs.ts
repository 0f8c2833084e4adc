import type { TextRun } from './pdf-reading-order.js';

interface PdfTextItem {
  str: string;
  transform: number[];
  width: number;
}

/**
 * pdf.js text items as runs in the page's reading frame: the direction most of the text runs in is turned
 * to the horizontal, and text in other directions (a diagonal watermark, a label up the margin) is left out.
 */
export function pageRuns(items: readonly unknown[]): TextRun[] {
  const placed = items.filter(isTextItem).flatMap((item) => {
    const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = item.transform;
    const turn = Math.round(Math.atan2(b, a) / (Math.PI / 2));
    const exact = Math.abs(Math.atan2(b, a) - (turn * Math.PI) / 2) < 0.1;
    return exact && item.str.trim() !== ''
      ? [{ item, quarter: ((turn % 4) + 4) % 4, x, y, size: Math.hypot(c, d) }]
      : [];
  });
  const weight = [0, 0, 0, 0];
  for (const p of placed) weight[p.quarter] = (weight[p.quarter] as number) + p.item.str.length;
  const main = weight.indexOf(Math.max(...weight));
  const angle = (main * Math.PI) / 2;
  const cos = Math.round(Math.cos(angle));
  const sin = Math.round(Math.sin(angle));
  return placed
    .filter((p) => p.quarter === main)
    .map((p) => ({
      text: p.item.str,
      x: p.x * cos + p.y * sin,
      y: -p.x * sin + p.y * cos,
      width: p.item.width,
      size: p.size,
    }));
}

function isTextItem(item: unknown): item is PdfTextItem {
  const i = item as Partial<PdfTextItem> | null;
  return typeof i?.str === 'string' && Array.isArray(i.transform) && typeof i.width === 'number';
}
