import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCorpusBytes } from '../src/corpus/parse-bytes.js';
import { DEFAULT_READ_LIMITS } from '../src/corpus/read-limits.js';
import { buildDocx, buildZip } from './helpers/docx-writer.js';

describe('Word documents (.docx)', () => {
  it('reads text and headings a paragraph a line, with title, date, author and outlet from the properties', async () => {
    const docx = buildDocx(
      [
        { text: 'Ferry timetable changes', style: 'Title' },
        { text: 'What changes', style: 'Heading1' },
        'From 1 June the island ferry leaves the harbour every 40 minutes instead of every hour.',
        { text: 'The last crossing is at |22:10|, the operator said.', bold: true },
      ],
      {
        core: {
          title: 'Press release: new ferry timetable',
          creator: 'Jo Park',
          created: '2024-05-02T09:00:00Z',
        },
        company: 'Island Ferries Ltd',
      },
    );
    const { articles, skipped } = await parseCorpusBytes(docx, 'press/ferry.docx');
    assert.deepEqual(skipped, []);
    assert.deepEqual(articles, [
      {
        source: 'press/ferry.docx',
        title: 'Press release: new ferry timetable',
        date: '2024-05-02',
        outlet: 'Island Ferries Ltd',
        url: null,
        author: 'Jo Park',
        body: [
          'Ferry timetable changes',
          'What changes',
          'From 1 June the island ferry leaves the harbour every 40 minutes instead of every hour.',
          'The last crossing is at 22:10, the operator said.',
        ].join('\n\n'),
      },
    ]);
  });

  it('takes the first heading as the title when the properties name none, and that heading leaves the text', async () => {
    const docx = buildDocx(
      [
        { text: 'Library opens on Sundays', style: 'Heading1' },
        'The town library will open on Sundays from March.',
      ],
      {
        core: { title: '', modified: '2024-02-20T12:00:00Z' },
        custom: { Publisher: 'Town Hall' },
        store: true,
      },
    );
    const [article] = (await parseCorpusBytes(docx, 'library.docx')).articles;
    assert.equal(article?.title, 'Library opens on Sundays');
    assert.equal(article?.body, 'The town library will open on Sundays from March.');
    assert.equal(article?.date, '2024-02-20', 'modified when no created date');
    assert.equal(article?.outlet, 'Town Hall', 'a custom Publisher property');
  });

  it('takes the outlet from a dc:publisher in the core properties before the company', async () => {
    const docx = buildDocx(['Title', 'Text.'], {
      core: { publisher: 'Harbour Press' },
      company: 'Printers Ltd',
    });
    assert.equal((await parseCorpusBytes(docx, 'p.docx')).articles[0]?.outlet, 'Harbour Press');
  });

  it('takes a short first paragraph as the title of a document with no heading and no title', async () => {
    const docx = buildDocx([
      'New bus route to the hospital',
      'The number 7 bus will stop at the hospital gate.',
    ]);
    const [article] = (await parseCorpusBytes(docx, 'bus.docx')).articles;
    assert.equal(article?.title, 'New bus route to the hospital');
    assert.equal(
      article?.body,
      'New bus route to the hospital\n\nThe number 7 bus will stop at the hospital gate.',
    );
  });

  it('refuses a part that unpacks past the budget (a zip bomb) before mammoth reads it', async () => {
    const bomb = buildDocx(['Title', 'Text.'], { padDocument: 4 * 1024 * 1024 });
    assert.ok(bomb.length < 64 * 1024, `the file itself is small (${bomb.length} bytes)`);
    const parsed = await parseCorpusBytes(bomb, 'bomb.docx', {
      ...DEFAULT_READ_LIMITS,
      maxUnpackedBytes: 1024 * 1024,
    });
    assert.deepEqual(parsed.articles, []);
    assert.match(parsed.skipped[0]?.reason ?? '', /word\/document\.xml unpacks to more than the limit/);
  });

  it('refuses a document whose XML declares its own entities (billion laughs)', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>';
    const docx = buildDocx(['placeholder'], { extraParts: [{ name: 'word/glossary.xml', data: laughs }] });
    const parsed = await parseCorpusBytes(docx, 'laughs.docx');
    assert.deepEqual(parsed.articles, []);
    assert.match(parsed.skipped[0]?.reason ?? '', /word\/glossary\.xml declares its own XML entities/);
  });

  it('reports a damaged .docx and a ZIP that is not a Word document', async () => {
    const good = buildDocx(['Title', 'Text.']);
    const truncated = await parseCorpusBytes(good.subarray(0, good.length - 30), 'cut.docx');
    assert.match(truncated.skipped[0]?.reason ?? '', /^not a readable Word document: damaged/);
    const other = await parseCorpusBytes(buildZip([{ name: 'notes.txt', data: 'hello' }]), 'other.docx');
    assert.equal(other.skipped[0]?.reason, 'not a Word document (no word/document.xml inside)');
    const text = await parseCorpusBytes(Buffer.from('plain words'), 'plain.docx');
    assert.equal(text.skipped[0]?.reason, 'not a readable Word document: not a ZIP file');
  });
});
