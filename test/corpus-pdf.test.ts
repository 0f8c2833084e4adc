import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getDocumentProxy } from 'unpdf';
import { pageAt, pageSpan } from '../src/corpus/pages.js';
import { parseCorpusBytes } from '../src/corpus/parse-bytes.js';
import { NO_TEXT_LAYER, readPdfText } from '../src/corpus/pdf-format.js';
import { paragraphsOf } from '../src/corpus/pdf-paragraphs.js';
import { readingOrder, type TextRun } from '../src/corpus/pdf-reading-order.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../src/corpus/read-limits.js';
import { indexedArticles, runIngest } from './helpers/index.js';
import { buildPdf, columnTexts, type PdfText, twoColumnTexts, wrap } from './helpers/pdf-writer.js';
import { tempDir } from './helpers/temp.js';

const LEFT =
  'The harbour board approved the eastern breakwater on Tuesday, and its engineers expect the new wall to hold back winter storms for at least eighty years.';
const RIGHT =
  'Fishing crews in the western basin reported that the mackerel catch fell by a third last season, which they blame on warmer water.';

/** The text of a PDF, or the test fails with the reason it was not read. */
async function text(pdf: Buffer, limits: ReadLimits = DEFAULT_READ_LIMITS) {
  const read = await readPdfText(pdf, limits);
  assert.ok(typeof read !== 'string', `read: ${read}`);
  return read;
}

describe('PDF reading order', () => {
  it('reads a two-column page drawn line by line across both columns column by column', async () => {
    const texts = twoColumnTexts(wrap(LEFT, 38), wrap(RIGHT, 38));
    // The file draws the columns alternately: left line 1, right line 1, left line 2...
    assert.deepEqual(
      texts.slice(0, 2).map((t) => t.x),
      [72, 318],
    );
    const { body } = await text(buildPdf([{ texts }]));
    assert.ok(body.includes(LEFT), `the left column reads as one sentence: ${body}`);
    assert.ok(body.includes(RIGHT), `the right column reads as one sentence: ${body}`);
    assert.ok(body.indexOf(LEFT) < body.indexOf(RIGHT), 'left column first');
  });

  it('reads columns whose text runs into the gutter by where their lines start', async () => {
    // Lines of 44 characters at 11 pt run past the right column’s start: no gap, only aligned starts.
    const texts = twoColumnTexts(wrap(LEFT, 44), wrap(RIGHT, 44), { gutterX: 250 });
    const { body } = await text(buildPdf([{ texts }]));
    assert.ok(body.includes(LEFT), body);
    assert.ok(body.includes(RIGHT), body);
  });

  it('reads a title across both columns first, then each column, and drops the page number', async () => {
    const texts: PdfText[] = [
      ...twoColumnTexts(wrap(LEFT, 38), wrap(RIGHT, 38), { top: 660 }),
      { x: 300, y: 40, size: 9, text: '7' },
      { x: 120, y: 720, size: 22, text: 'Storm season report for the coast', font: 'F2' },
    ];
    const { body, title } = await text(buildPdf([{ texts }]));
    assert.equal(title, 'Storm season report for the coast', 'the largest text on page 1');
    assert.equal(body, ['Storm season report for the coast', LEFT, RIGHT].join('\n'));
  });

  it('joins a word hyphenated at a line end, and keeps a hyphen before a capital or a digit', async () => {
    const lines = [
      'The council will fund the new infra-',
      'structure of the port from next year,',
      'says the COVID-',
      '19 recovery plan for the South-',
      'West region.',
    ];
    const { body } = await text(buildPdf([{ texts: columnTexts(lines) }]));
    assert.equal(
      body,
      'The council will fund the new infrastructure of the port from next year, says the COVID-19 recovery plan for the South-West region.',
    );
  });

  it('keeps paragraphs apart and list items on their own lines', async () => {
    const texts = [
      ...columnTexts(['The first paragraph ends here.'], { top: 700 }),
      ...columnTexts(['The second paragraph starts after a gap and', 'goes on to a second line.'], {
        top: 670,
      }),
      ...columnTexts(['• A first point', '• A second point'], { top: 630 }),
    ];
    const { body } = await text(buildPdf([{ texts }]));
    assert.deepEqual(body.split('\n'), [
      'The first paragraph ends here.',
      'The second paragraph starts after a gap and goes on to a second line.',
      '• A first point',
      '• A second point',
    ]);
  });
});

/** A run as pdf.js would place it, about half an em a character wide. */
const run = (x: number, y: number, text: string, size = 10): TextRun => ({
  text,
  x,
  y,
  size,
  width: text.length * size * 0.5,
});

describe('PDF text directions', () => {
  it('leaves out a diagonal watermark, and reads a page whose text is turned a quarter', async () => {
    const watermarked = buildPdf([
      {
        texts: columnTexts(['The budget was approved on Monday.']),
        raw: 'BT /F1 60 Tf 0.866 0.5 -0.5 0.866 150 250 Tm (DRAFT) Tj ET\n',
      },
    ]);
    assert.equal((await text(watermarked)).body, 'The budget was approved on Monday.');
    const turned = buildPdf([
      {
        raw:
          'BT /F1 11 Tf 0 1 -1 0 300 72 Tm (The landscape table shows the tide) Tj ET\n' +
          'BT /F1 11 Tf 0 1 -1 0 314 72 Tm (heights for every month of the year.) Tj ET\n',
      },
    ]);
    assert.equal(
      (await text(turned)).body,
      'The landscape table shows the tide heights for every month of the year.',
    );
  });
});

describe('PDF reading order from positions', () => {
  it('keeps bullets that are runs of their own with their items, between the paragraphs around them', () => {
    const runs = [
      run(72, 700, 'These are the three findings of the survey, which'),
      run(72, 688, 'the board discussed at length on Monday:'),
      ...['Nests rose by a tenth', 'Gulls left the harbour', 'Terns came back early'].flatMap((item, i) => [
        run(84, 670 - i * 12, '•'),
        run(96, 670 - i * 12, item),
      ]),
      run(72, 634, 'The board will meet again in May to decide what to do next.'),
    ];
    const text = paragraphsOf(readingOrder(runs)).map((p) => p.text);
    assert.deepEqual(text, [
      'These are the three findings of the survey, which the board discussed at length on Monday:',
      '• Nests rose by a tenth',
      '• Gulls left the harbour',
      '• Terns came back early',
      'The board will meet again in May to decide what to do next.',
    ]);
  });

  it('reads columns whose baselines do not line up, drawn in any order', () => {
    const left = [
      'The ferry will run every hour from',
      'May, the operator said, after a',
      'winter of cancelled crossings.',
    ];
    const right = [
      'Tickets go on sale next week at the',
      'harbour office and on the website',
      'of the island council.',
    ];
    const runs = [
      ...right.map((line, i) => run(320, 695 - i * 13, line)),
      ...left.map((line, i) => run(72, 700 - i * 12, line)),
    ].reverse();
    const text = paragraphsOf(readingOrder(runs)).map((p) => p.text);
    assert.deepEqual(text, [left.join(' '), right.join(' ')]);
  });
});

describe('PDF pages', () => {
  it('records where each page starts, and keeps a sentence that runs on over a page break whole', async () => {
    const pdf = buildPdf([
      { texts: columnTexts(['Page one opens the report.', 'The survey counted birds on the', 'cliffs and']) },
      { texts: columnTexts(['found 412 nests in the spring.', 'Page two ends here.']) },
      { texts: columnTexts(['Page three stands alone.']) },
    ]);
    const { body, pages } = await text(pdf);
    assert.equal(
      body,
      'Page one opens the report. The survey counted birds on the cliffs and found 412 nests in the spring. Page two ends here.\nPage three stands alone.',
    );
    assert.equal(pages.length, 3);
    assert.equal(body.slice(pages[1], (pages[1] ?? 0) + 5), 'found', 'page 2 starts where its text does');
    assert.equal(pageAt(pages, body.indexOf('Page two')), 2);
    assert.equal(pageAt(pages, body.indexOf('Page three')), 3);
    const start = body.indexOf('The survey');
    assert.deepEqual(pageSpan(pages, start, body.indexOf('spring.') + 7), { first: 1, last: 2 });
  });

  it('keeps a blank page in the count, and names it in a note', async () => {
    const dir = await tempDir();
    const pdf = buildPdf([
      { texts: columnTexts(['A first page of text.']) },
      { scan: true },
      { texts: columnTexts(['A third page of text.']) },
    ]);
    await writeFile(path.join(dir, 'mixed.pdf'), pdf);
    const { articles, notes } = await readCorpus(dir, { maxFileBytes: 1024 * 1024 });
    const [article] = articles;
    assert.ok(article?.pages);
    assert.equal(pageAt(article.pages, article.body.indexOf('third')), 3);
    assert.match(notes[0]?.note ?? '', /page 2 has no text layer/);
  });
});

describe('PDF metadata', () => {
  it('takes title, date, author and outlet from the document information', async () => {
    const pdf = buildPdf([{ texts: columnTexts(['Body text of the report.']) }], {
      info: {
        Title: 'Annual Harbour Report',
        Author: 'Ana Silva',
        CreationDate: "D:20240315233000-05'00'",
        Publisher: 'Harbour Gazette',
      },
    });
    const [article] = (await parseCorpusBytes(pdf, 'reports/harbour.pdf')).articles;
    assert.deepEqual(
      { ...article, body: undefined, pages: undefined },
      {
        source: 'reports/harbour.pdf',
        title: 'Annual Harbour Report',
        date: '2024-03-15',
        outlet: 'Harbour Gazette',
        url: null,
        author: 'Ana Silva',
        body: undefined,
        pages: undefined,
      },
    );
  });

  it('falls back to the date of the last change, and takes the outlet from an Outlet or Source entry', async () => {
    const read = async (info: Record<string, string>) =>
      text(buildPdf([{ texts: columnTexts(['Body.']) }], { info: { Title: 'T', ...info } }));
    assert.equal((await read({ ModDate: 'D:20230102' })).date, '2023-01-02');
    assert.equal((await read({ Outlet: 'Gazette' })).outlet, 'Gazette');
    assert.equal((await read({ Source: 'Wire' })).outlet, 'Wire');
  });

  it('prefers XMP metadata, and takes the largest text on page 1 when the title is a file name', async () => {
    const xmp =
      '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><dc:publisher><rdf:Bag><rdf:li>Coast Institute</rdf:li></rdf:Bag></dc:publisher><dc:creator><rdf:Seq><rdf:li>Ana Silva</rdf:li><rdf:li>Li Wei</rdf:li></rdf:Seq></dc:creator><xmp:CreateDate>2023-05-06T10:00:00Z</xmp:CreateDate></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
    const pdf = buildPdf(
      [
        {
          texts: [
            { x: 72, y: 720, size: 20, text: 'Seabirds of the', font: 'F2' },
            { x: 72, y: 696, size: 20, text: 'northern cliffs', font: 'F2' },
            ...columnTexts(['The colony grew again this year.'], { top: 660 }),
          ],
        },
      ],
      { xmp, info: { Title: 'Microsoft Word - seabirds_final_v3.docx', CreationDate: 'D:20200101' } },
    );
    const read = await text(pdf);
    assert.equal(read.title, 'Seabirds of the northern cliffs');
    assert.equal(read.date, '2023-05-06');
    assert.equal(read.author, 'Ana Silva, Li Wei');
    assert.equal(read.outlet, 'Coast Institute');
  });
});

describe('PDFs that cannot be read', () => {
  it('reports a scanned PDF (no text layer) by name with the reason, and skips it', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'scan.pdf'), buildPdf([{ scan: true }, { scan: true }]));
    await writeFile(path.join(dir, 'ok.pdf'), buildPdf([{ texts: columnTexts(['Readable text.']) }]));
    const { articles, skipped } = await readCorpus(dir, { maxFileBytes: 1024 * 1024 });
    assert.deepEqual(
      articles.map((a) => a.source),
      ['ok.pdf'],
    );
    assert.deepEqual(skipped, [{ source: 'scan.pdf', reason: NO_TEXT_LAYER }]);
    assert.equal(NO_TEXT_LAYER, 'no text layer: scanned pages need OCR, which Clipdesk does not do');
  });

  it('reports an encrypted PDF that needs a password, and reads one protected by an owner password only', async () => {
    const locked = buildPdf([{ texts: columnTexts(['The locked text.']) }], {
      encrypt: { userPassword: 'secret', ownerPassword: 'owner' },
      info: { Title: 'Locked' },
    });
    // The file is really encrypted: pdf.js opens it with its password.
    const opened = await getDocumentProxy(new Uint8Array(locked), { password: 'secret', verbosity: 0 });
    const items = (await (await opened.getPage(1)).getTextContent()).items as Array<{ str?: string }>;
    assert.deepEqual(
      items.map((i) => i.str),
      ['The locked text.'],
    );
    await opened.destroy();
    const parsed = await parseCorpusBytes(locked, 'locked.pdf');
    assert.deepEqual(parsed.articles, []);
    assert.match(parsed.skipped[0]?.reason ?? '', /^encrypted: it needs a password/);

    const ownerOnly = buildPdf([{ texts: columnTexts(['Anyone may read this.']) }], {
      encrypt: { userPassword: '', ownerPassword: 'owner' },
      info: { Title: 'Open to read' },
    });
    const open = await parseCorpusBytes(ownerOnly, 'open.pdf');
    assert.equal(open.articles[0]?.body, 'Anyone may read this.');
    assert.equal(open.articles[0]?.title, 'Open to read');
  });

  it('reports a damaged PDF, and a file named .pdf that is no PDF', async () => {
    const good = buildPdf([{ texts: columnTexts(['Some text.']) }]);
    const truncated = Buffer.concat([good.subarray(0, 200), Buffer.from('\x00\xff garbage')]);
    const damaged = await parseCorpusBytes(truncated, 'damaged.pdf');
    assert.match(damaged.skipped[0]?.reason ?? '', /^damaged/);
    const notPdf = await parseCorpusBytes(Buffer.from('just some words'), 'fake.pdf');
    assert.match(notPdf.skipped[0]?.reason ?? '', /^not a PDF/);
  });

  it('reads at most the page limit, with a note, and skips a PDF still being read past the time limit', async () => {
    const pages = Array.from({ length: 5 }, (_, i) => ({ texts: columnTexts([`Text of page ${i + 1}.`]) }));
    const pdf = buildPdf(pages, { info: { Title: 'Long report' } });
    const limited = await parseCorpusBytes(pdf, 'long.pdf', { ...DEFAULT_READ_LIMITS, maxPages: 2 });
    assert.equal(limited.articles[0]?.body, 'Text of page 1.\nText of page 2.');
    assert.match(limited.note ?? '', /read the first 2 of 5 pages/);

    // A clock that moves a second each time it is read: the third page is past a 2.5-second limit.
    let now = 0;
    const slow = { ...DEFAULT_READ_LIMITS, maxReadMs: 2500, now: () => (now += 1000) };
    const timedOut = await parseCorpusBytes(pdf, 'slow.pdf', slow);
    assert.deepEqual(timedOut.articles, []);
    assert.match(timedOut.skipped[0]?.reason ?? '', /^still being read after 3 s \(page 3 of 5\): skipped$/);
  });

  it('reads a PDF saved under a text extension as the PDF it is', async () => {
    const pdf = buildPdf([{ texts: columnTexts(['Misnamed but readable.']) }], {
      info: { Title: 'Misnamed' },
    });
    const parsed = await parseCorpusBytes(pdf, 'misnamed.txt');
    assert.equal(parsed.articles[0]?.body, 'Misnamed but readable.');
  });
});

describe('PDF page furniture', () => {
  it('drops page numbers and running heads at the top and bottom of pages', async () => {
    const page = (n: number, line: string) => ({
      texts: [
        { x: 72, y: 760, size: 8, text: `Coastal Survey 2024 — chapter ${n}` },
        ...columnTexts([line], { top: 700 }),
        { x: 300, y: 40, size: 8, text: `Page ${n} of 3` },
      ],
    });
    const pdf = buildPdf([page(1, 'Alpha text.'), page(2, 'Beta text.'), page(3, 'Gamma text.')]);
    const { body } = await text(pdf);
    assert.equal(body, 'Alpha text.\nBeta text.\nGamma text.');
  });
});

describe('PDFs in an ingest', () => {
  it('are parsed one at a time, so that each PDF’s time limit counts its own reading only', async () => {
    const corpus = await tempDir();
    const index = path.join(await tempDir(), 'index');
    for (const name of ['a', 'b', 'c'])
      await writeFile(
        path.join(corpus, `${name}.pdf`),
        buildPdf(
          [
            { texts: columnTexts([`Report ${name}, page one.`]) },
            { texts: columnTexts([`Report ${name}, page two.`]) },
          ],
          { info: { Title: `Report ${name}` } },
        ),
      );
    // A clock that moves a second each time any reader looks at it: a PDF read alone looks three times
    // (start, page 1, page 2) and stays within 2.5 s; PDFs read side by side would see each other's ticks.
    let now = 0;
    const { summary } = await runIngest(corpus, index, 'tiny-random-bert', {
      readLimits: { ...DEFAULT_READ_LIMITS, maxReadMs: 2500, now: () => (now += 1000) },
    });
    assert.deepEqual(summary.skipped, []);
    assert.deepEqual((await indexedArticles(index)).map((a) => a.title).sort(), [
      'Report a',
      'Report b',
      'Report c',
    ]);
  });
});
