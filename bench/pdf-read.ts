/**
 * PDF reading figures: a generated PDF of BENCH_PDF_PAGES pages (default 100) of two-column text drawn line
 * by line across both columns, built from the shipped articles, read BENCH_PDF_ROUNDS times (default 5)
 * by the corpus reader: wall time per 100 pages (median and best round), and the first read, which also
 * loads pdf.js. `npm run bench:pdf` alone; `npm run bench` runs it too.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCorpusBytes } from '../src/corpus/parse-bytes.js';
import { buildPdf, twoColumnTexts, wrap } from '../test/helpers/pdf-writer.js';

export async function runPdfBench(): Promise<Record<string, number>> {
  const pageCount = Math.max(1, Number(process.env.BENCH_PDF_PAGES ?? 100));
  const rounds = Math.max(1, Number(process.env.BENCH_PDF_ROUNDS ?? 5));
  const pdf = await benchPdf(pageCount);
  const times: number[] = [];
  let chars = 0;
  for (let round = 0; round <= rounds; round++) {
    const t0 = performance.now();
    const parsed = await parseCorpusBytes(pdf, 'bench.pdf');
    times.push(performance.now() - t0);
    const article = parsed.articles[0];
    if (!article || article.pages?.length !== pageCount)
      throw new Error(`the bench PDF was not read whole: ${JSON.stringify(parsed.skipped)}`);
    chars = article.body.length;
  }
  const [first, ...rest] = times as [number, ...number[]];
  const per100 = (ms: number) => Math.round((ms / pageCount) * 100);
  const sorted = [...rest].sort((a, b) => a - b);
  const figures = {
    pdf_pages: pageCount,
    pdf_bytes: pdf.length,
    pdf_chars: chars,
    pdf_read_ms_per_100_pages: per100(sorted[Math.floor(sorted.length / 2)] as number),
    pdf_read_best_ms_per_100_pages: per100(sorted[0] as number),
    pdf_first_read_ms: Math.round(first),
  };
  console.log(
    `pdf: ${pageCount} two-column pages (${Math.round(pdf.length / 1024)} KB, ${chars} characters of text): ` +
      `${figures.pdf_read_ms_per_100_pages} ms per 100 pages (median of ${rounds}; best ${figures.pdf_read_best_ms_per_100_pages} ms), ` +
      `first read with pdf.js loading ${figures.pdf_first_read_ms} ms`,
  );
  return figures;
}

/** Pages of two 40-character columns, about 48 lines each, filled with the shipped articles' text. */
async function benchPdf(pageCount: number): Promise<Buffer> {
  const dir = path.resolve('corpus');
  const texts = await Promise.all(
    (await readdir(dir)).filter((f) => f.endsWith('.txt')).map((f) => readFile(path.join(dir, f), 'utf8')),
  );
  const lines = wrap(texts.join(' '), 40);
  const perColumn = 48;
  const pages = Array.from({ length: pageCount }, (_, p) => {
    const at = (p * 2 * perColumn) % Math.max(1, lines.length - 2 * perColumn);
    return {
      texts: [
        ...twoColumnTexts(lines.slice(at, at + perColumn), lines.slice(at + perColumn, at + 2 * perColumn), {
          top: 740,
          leading: 14,
          size: 10,
        }),
        { x: 300, y: 30, size: 8, text: String(p + 1) },
      ],
    };
  });
  return buildPdf(pages, { info: { Title: 'Bench report' } });
}
