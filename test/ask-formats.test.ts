import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ArchiveReader } from '../src/store/archive.js';
import { buildDocx } from './helpers/docx-writer.js';
import { newsMlItemFile, ninjs1, nitf, type StoryFields } from './helpers/iptc-fixtures.js';
import { testModelPath } from './helpers/models.js';
import { buildPdf, columnTexts, type PdfText, twoColumnTexts, wrap } from './helpers/pdf-writer.js';
import { runNode } from './helpers/run-node.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/**
 * The archive a research channel and a newsroom have, end to end: the five shipped articles beside a
 * two-page PDF (page 2 in two columns drawn line by line across both), a Word file, a NITF file, a
 * NewsML-G2 item and a ninjs file, every one built here without a library; ingested and asked through the
 * real `ask --json` command.
 */

const PAGE_ONE_FACT = 'The survey team logged 1,460 seabird nests across the headland during June.';
const LEFT_FACT =
  'The lighthouse trust counted 318 puffin burrows on the northern cliffs this spring, up from 240 the year before.';
const RIGHT_FACT =
  'Skerry Lines will add a second daily sailing to Port Ellen from 1 May, its managing director announced.';
const WORD_FACT =
  'Tickets for the Harbour Festival go on sale on 3 June at the Quayside kiosk, priced at £12 for adults.';
const NITF_FACT = 'Divers working on the harbour dredging found an iron anchor on Thursday morning.';
const NEWSML_FACT =
  'The Laggan Bay distillery will double its warehouse space after winning consent for two bonded stores.';
const NINJS_FACT = 'Mountain rescue volunteers in the Cairngorms were called out 47 times last year.';

interface Expected {
  question: string;
  file: string;
  fact: string;
  title: string;
  outlet: string;
  date: string;
  page: number | null;
}

const nitfStory: StoryFields = {
  id: 'anchor-1',
  headline: 'Dredging turns up an old anchor',
  date: '2024-03-14T09:30:00Z',
  outlet: 'Island Herald',
  author: 'Mairi Campbell',
  paragraphs: [NITF_FACT, 'Archaeologists will study it over the summer.'],
};
const newsMlStory: StoryFields = {
  id: 'distillery-1',
  headline: 'Distillery to double its warehouses',
  date: '2024-04-02T11:00:00Z',
  outlet: 'Whisky Wire',
  author: 'Ross Baird',
  paragraphs: ['Work starts in the autumn.', NEWSML_FACT],
  url: 'https://whisky.example/2024/04/laggan',
};
const ninjsStory: StoryFields = {
  id: 'rescue-1',
  headline: 'Record year for mountain rescue',
  date: '2024-01-20T07:00:00Z',
  outlet: 'Highland Wire',
  author: 'Eilidh Grant',
  paragraphs: [NINJS_FACT, 'Most call-outs came in the winter months.'],
};

const EXPECTED: Expected[] = [
  {
    question: 'How many seabird nests did the survey team log across the headland?',
    file: 'coast-report.pdf',
    fact: PAGE_ONE_FACT,
    title: 'Coastal Wildlife Report 2024',
    outlet: 'Coast Trust',
    date: '2024-07-01',
    page: 1,
  },
  {
    question: 'How many puffin burrows did the lighthouse trust count on the northern cliffs?',
    file: 'coast-report.pdf',
    fact: LEFT_FACT,
    title: 'Coastal Wildlife Report 2024',
    outlet: 'Coast Trust',
    date: '2024-07-01',
    page: 2,
  },
  {
    question: 'When will Skerry Lines add a second daily sailing to Port Ellen?',
    file: 'coast-report.pdf',
    fact: RIGHT_FACT,
    title: 'Coastal Wildlife Report 2024',
    outlet: 'Coast Trust',
    date: '2024-07-01',
    page: 2,
  },
  {
    question: 'How much do adult tickets for the Harbour Festival cost?',
    file: 'festival.docx',
    fact: WORD_FACT,
    title: 'Harbour Festival tickets on sale',
    outlet: 'Quayside Events',
    date: '2024-05-21',
    page: null,
  },
  {
    question: 'What did divers find during the harbour dredging?',
    file: 'anchor.xml',
    fact: NITF_FACT,
    title: nitfStory.headline,
    outlet: 'Island Herald',
    date: '2024-03-14',
    page: null,
  },
  {
    question: 'How will the Laggan Bay distillery expand its warehouse space?',
    file: 'distillery.xml',
    fact: NEWSML_FACT,
    title: newsMlStory.headline,
    outlet: 'Whisky Wire',
    date: '2024-04-02',
    page: null,
  },
  {
    question: 'How many times were mountain rescue volunteers in the Cairngorms called out last year?',
    file: 'rescue.json',
    fact: NINJS_FACT,
    title: ninjsStory.headline,
    outlet: 'Highland Wire',
    date: '2024-01-20',
    page: null,
  },
];

/** The two-page report: page 1 a title and a paragraph; page 2 two columns drawn line by line across both. */
function coastReport(): Buffer {
  const pageOne: PdfText[] = [
    { x: 72, y: 720, size: 22, text: 'Coastal Wildlife Report 2024', font: 'F2' },
    ...columnTexts(wrap(`The report sums up a season of fieldwork on the coast. ${PAGE_ONE_FACT}`, 80), {
      top: 680,
    }),
  ];
  const left = wrap(`Seabirds. ${LEFT_FACT} Counts were made at dawn.`, 40);
  const right = wrap(`Ferries. ${RIGHT_FACT} Timetables follow in April.`, 40);
  return buildPdf([{ texts: pageOne }, { texts: twoColumnTexts(left, right) }], {
    info: {
      Title: 'Coastal Wildlife Report 2024',
      Author: 'Coast Trust field team',
      CreationDate: "D:20240701090000+01'00'",
      Publisher: 'Coast Trust',
    },
  });
}

let corpusDir: string;
let indexDir: string;
let answers: Array<{ question: string; results: Array<Record<string, unknown>> }>;

before(async () => {
  corpusDir = await copyOfShippedCorpus();
  indexDir = path.join(await tempDir(), 'index');
  await writeFile(path.join(corpusDir, 'coast-report.pdf'), coastReport());
  await writeFile(
    path.join(corpusDir, 'festival.docx'),
    buildDocx(
      [
        { text: 'Festival tickets', style: 'Heading1' },
        'The Harbour Festival returns for its tenth year in July.',
        WORD_FACT,
      ],
      {
        core: {
          title: 'Harbour Festival tickets on sale',
          creator: 'Events desk',
          created: '2024-05-21T08:00:00Z',
        },
        company: 'Quayside Events',
      },
    ),
  );
  await writeFile(path.join(corpusDir, 'anchor.xml'), nitf(nitfStory));
  await writeFile(path.join(corpusDir, 'distillery.xml'), newsMlItemFile(newsMlStory));
  await writeFile(path.join(corpusDir, 'rescue.json'), JSON.stringify(ninjs1(ninjsStory)));
  const work = await tempDir();
  const { code, stdout, stderr } = await runNode(
    path.join('src', 'cli', 'ask.ts'),
    ['--json', '--limit', '1'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CORPUS_DIR: corpusDir,
        INDEX_DIR: indexDir,
        MODEL_CACHE_DIR: path.join(work, 'models'),
        EMBEDDING_MODEL: testModelPath('use-static-128'),
        EMBEDDING_DTYPE: 'q8',
      },
      stdin: `${EXPECTED.map((e) => e.question).join('\n')}\n`,
    },
  );
  assert.equal(code, 0, stderr);
  answers = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
});

describe('ask --json over PDF, Word, NITF, NewsML-G2 and ninjs beside the shipped articles', () => {
  it('answers each of the seven questions from the right file, with the fact verbatim in the quote', () => {
    assert.equal(answers.length, EXPECTED.length);
    assert.deepEqual(
      answers.map((a) => path.basename(String(a.results[0]?.file))),
      EXPECTED.map((e) => e.file),
    );
    EXPECTED.forEach((expected, i) => {
      const quote = String(answers[i]?.results[0]?.quote);
      assert.ok(quote.includes(expected.fact), `“${expected.question}”: the quote holds the fact: ${quote}`);
    });
  });

  it('gives the page of each quote from the PDF, and null for the other formats', () => {
    assert.deepEqual(
      answers.map((a) => [a.results[0]?.page, a.results[0]?.lastPage]),
      EXPECTED.map((e) => [e.page, e.page]),
    );
  });

  it('takes title, outlet and date from each format’s metadata', () => {
    assert.deepEqual(
      answers.map((a) => {
        const top = a.results[0] ?? {};
        return { title: top.title, outlet: top.outlet, date: top.date };
      }),
      EXPECTED.map((e) => ({ title: e.title, outlet: e.outlet, date: e.date })),
    );
  });

  it('quotes exactly the stored text at the offsets it gives', async () => {
    const archive = await ArchiveReader.open(indexDir);
    assert.ok(archive);
    try {
      for (const answer of answers) {
        const top = answer.results[0] as { file: string; quote: string; start: number; end: number };
        const meta = archive.articles.find((a) => path.basename(a.source) === path.basename(top.file));
        const [view] = await archive.views([meta?.id ?? '']);
        assert.equal(view?.body.slice(top.start, top.end), top.quote);
      }
    } finally {
      await archive.close();
    }
  });
});
