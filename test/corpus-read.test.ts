import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { toIsoDate } from '../src/corpus/fields.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { PROJECT_ROOT } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

const OPTIONS = { maxFileBytes: 64 * 1024 };

describe('reading a corpus folder', () => {
  it('reads the five shipped articles with stable ids, sorted by file', async () => {
    const corpus = await readCorpus(path.join(PROJECT_ROOT, 'corpus'), OPTIONS);
    assert.deepEqual(corpus.skipped, []);
    assert.deepEqual(
      corpus.articles.map((a) => a.source),
      [
        '000_01192254e148cab4.txt',
        '001_6d679d00b5a46ec6.txt',
        '002_35826060f10723de.txt',
        '003_e9c50f8481d5a253.txt',
        '004_1f6cc5111f6a3622.txt',
      ],
    );
    const again = await readCorpus(path.join(PROJECT_ROOT, 'corpus'), OPTIONS);
    assert.deepEqual(
      again.articles.map((a) => [a.id, a.hash]),
      corpus.articles.map((a) => [a.id, a.hash]),
    );
    assert.equal(new Set(corpus.articles.map((a) => a.id)).size, 5);
  });

  it('reads saved web pages (.html and .htm) as articles: the article text, title and metadata, no scripts or menus', async () => {
    const dir = await tempDir();
    const page = (title: string) =>
      `<!doctype html><html><head><title>${title} | The Courier</title><meta property="og:title" content="${title}">` +
      '<meta property="article:published_time" content="2024-05-02T08:00:00Z"><meta property="og:site_name" content="The Courier">' +
      '<script>document.title = "hijacked"</script></head><body><nav>Home | Sport | Weather</nav><article>' +
      `<h1>${title}</h1><p>The harbour reopened on Thursday after a winter of repairs to the old sea wall, the port authority said.</p>` +
      '<p>Fishing boats returned to their moorings within hours, and the ferry will resume its summer timetable next week.</p>' +
      '</article><footer>Copyright The Courier</footer></body></html>';
    await writeFile(path.join(dir, 'harbour.html'), page('Harbour reopens'));
    await writeFile(path.join(dir, 'ferry.htm'), page('Ferry returns'));
    const corpus = await readCorpus(dir, OPTIONS);
    assert.deepEqual(corpus.skipped, []);
    const bySource = new Map(corpus.articles.map((a) => [a.source, a]));
    assert.deepEqual([...bySource.keys()].sort(), ['ferry.htm', 'harbour.html']);
    const harbour = bySource.get('harbour.html');
    assert.equal(harbour?.title, 'Harbour reopens');
    assert.equal(harbour?.outlet, 'The Courier');
    assert.equal(harbour?.date, '2024-05-02');
    assert.match(harbour?.body ?? '', /The harbour reopened on Thursday/);
    assert.doesNotMatch(harbour?.body ?? '', /hijacked|Home \| Sport|Copyright/);
  });

  it('reads Markdown front matter (title, date, outlet or source, url, author)', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'a.md'),
      '---\ntitle: "Harbour reopens"\ndate: 2024-05-02\nsource: The Courier\nurl: https://example.org/harbour\nauthor: [Ana Li, Bo Chen]\n---\n\nThe harbour reopened on Thursday.\n',
    );
    await writeFile(path.join(dir, 'b.md'), '# Heading as title\n\nBody under the heading.\n');
    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(skipped, []);
    const [a, b] = articles;
    assert.deepEqual(
      { title: a?.title, date: a?.date, outlet: a?.outlet, url: a?.url, author: a?.author, body: a?.body },
      {
        title: 'Harbour reopens',
        date: '2024-05-02',
        outlet: 'The Courier',
        url: 'https://example.org/harbour',
        author: 'Ana Li, Bo Chen',
        body: 'The harbour reopened on Thursday.',
      },
    );
    assert.equal(b?.title, 'Heading as title');
    assert.equal(b?.body, 'Body under the heading.');
  });

  it('reads .json (object, array) and .jsonl, keying records by their id or line', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'one.json'),
      JSON.stringify({ title: 'One', date: 'August 28, 2024', outlet: 'Wire', body: 'Text one.' }),
    );
    await writeFile(
      path.join(dir, 'many.json'),
      JSON.stringify([
        { id: 'x1', title: 'Two', text: 'Text two.', url: 'javascript:alert(1)' },
        { title: 'Three', body: 'Text three.', link: 'https://example.org/3' },
      ]),
    );
    await writeFile(
      path.join(dir, 'feed.jsonl'),
      `${JSON.stringify({ title: 'Four', body: 'Text four.', published: '2023-01-05T10:00:00Z' })}\n\n${JSON.stringify({ id: 7, title: 'Five', body: 'Text five.' })}\n`,
    );
    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(skipped, []);
    const bySource = Object.fromEntries(articles.map((a) => [a.source, a]));
    assert.deepEqual(Object.keys(bySource).sort(), [
      'feed.jsonl#1',
      'feed.jsonl#7',
      'many.json#2',
      'many.json#x1',
      'one.json',
    ]);
    assert.equal(bySource['one.json']?.date, '2024-08-28');
    assert.equal(bySource['many.json#x1']?.url, null, 'non-http links are dropped');
    assert.equal(bySource['many.json#2']?.url, 'https://example.org/3');
    assert.equal(bySource['feed.jsonl#1']?.date, '2023-01-05');
  });

  it('reports each bad file by name with its reason and reads the rest', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'good.txt'), 'Good title\n\nGood body.\n');
    await writeFile(path.join(dir, 'empty.txt'), '');
    await writeFile(path.join(dir, 'blank.md'), '  \n\n ');
    await writeFile(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    await writeFile(path.join(dir, 'latin1.txt'), Buffer.from('Caf\xe9 title\n\nBody', 'latin1'));
    await writeFile(path.join(dir, 'huge.txt'), `Huge\n\n${'x'.repeat(70 * 1024)}`);
    await writeFile(path.join(dir, 'broken.json'), '{"title": "Broken", "body": ');
    await writeFile(path.join(dir, 'notitle.json'), JSON.stringify({ body: 'no title here' }));
    await writeFile(path.join(dir, 'bad-front.md'), '---\ntitle: [unclosed\n---\nBody\n');
    await writeFile(
      path.join(dir, 'mixed.jsonl'),
      `${JSON.stringify({ title: 'Fine', body: 'Fine body.' })}\n{not json}\n${JSON.stringify({ title: 'No body' })}\n`,
    );
    await writeFile(path.join(dir, 'broken.pdf'), '%PDF-1.4');
    await writeFile(path.join(dir, 'slides.pptx'), 'PK');
    await writeFile(path.join(dir, '.hidden.txt'), 'Hidden\n\nIgnored entirely.');
    await symlink(path.join(dir, 'missing-target.txt'), path.join(dir, 'dangling.txt'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'nested.txt'), 'Nested title\n\nNested body.\n');

    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(
      articles.map((a) => a.source),
      ['good.txt', 'latin1.txt', 'mixed.jsonl#1', 'sub/nested.txt'],
    );
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    assert.equal(reasons['empty.txt'], 'empty file');
    assert.equal(reasons['blank.md'], 'empty file (only blank space)');
    assert.equal(reasons['binary.txt'], 'binary, not text');
    assert.match(reasons['huge.txt'] ?? '', /^too large \(71 KB; the limit is 64 KB\)$/);
    assert.match(reasons['broken.json'] ?? '', /^malformed JSON: /);
    assert.equal(reasons['notitle.json'], 'no title');
    assert.match(reasons['bad-front.md'] ?? '', /^malformed front matter: /);
    assert.match(reasons['mixed.jsonl#2'] ?? '', /^line 2: malformed JSON: /);
    assert.equal(reasons['mixed.jsonl#3'], 'line 3: no body or text');
    assert.match(reasons['broken.pdf'] ?? '', /^damaged: /);
    assert.match(reasons['slides.pptx'] ?? '', /^unsupported file type/);
    assert.equal(reasons['dangling.txt'], 'broken link (its target does not exist)');
    assert.equal(Object.keys(reasons).length, skipped.length, 'one reason per skipped source');
    assert.ok(!skipped.some((s) => s.source.includes('.hidden')), 'hidden files are not articles');
  });
});

describe('dates', () => {
  it('reads the forms newsrooms write and refuses impossible ones', () => {
    assert.equal(toIsoDate('2024-08-29'), '2024-08-29');
    assert.equal(toIsoDate('2022-03-15 10:09:55'), '2022-03-15');
    assert.equal(toIsoDate('Aug. 28, 2024'), '2024-08-28');
    assert.equal(toIsoDate('28 August 2024'), '2024-08-28');
    assert.equal(toIsoDate(new Date(Date.UTC(2020, 1, 29))), '2020-02-29');
    assert.equal(toIsoDate('2023-02-30'), null);
    assert.equal(toIsoDate('yesterday'), null);
    assert.equal(toIsoDate(undefined), null);
  });
});
