import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeText } from '../src/corpus/decode-text.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { PROJECT_ROOT } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

const OPTIONS = { maxFileBytes: 1024 * 1024 };
const TEXT = 'Café “quoted” costs €5\n\nThe naïve reporter paid £15.8m in Zürich.';

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('legacy encodings', () => {
  it('decodes windows-1252, Latin-1 and UTF-16 (with or without a byte-order mark), with a note', async () => {
    const dir = await tempDir();
    // windows-1252: “ ” are 0x93 0x94 and € is 0x80, which ISO-8859-1 would turn into control characters.
    const cp1252 = Buffer.from([
      ...Buffer.from('Caf\xe9 ', 'latin1'),
      0x93,
      ...Buffer.from('quoted', 'latin1'),
      0x94,
      ...Buffer.from(' costs ', 'latin1'),
      0x80,
      ...Buffer.from('5\n\nThe na\xefve reporter paid \xa315.8m in Z\xfcrich.', 'latin1'),
    ]);
    await writeFile(path.join(dir, 'cp1252.txt'), cp1252);
    await writeFile(path.join(dir, 'latin1.txt'), Buffer.from(TEXT.replace(/[“”€]/g, '"'), 'latin1'));
    await writeFile(
      path.join(dir, 'utf16le-bom.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]),
    );
    await writeFile(
      path.join(dir, 'utf16be-bom.md'),
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`# ${TEXT}`)]),
    );
    await writeFile(path.join(dir, 'utf16le.txt'), Buffer.from(TEXT, 'utf16le'));
    await writeFile(path.join(dir, 'utf16be.json'), utf16be(JSON.stringify({ title: 'Café', body: TEXT })));
    await writeFile(
      path.join(dir, 'utf8-bom.txt'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]),
    );

    const { articles, skipped, notes } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(skipped, []);
    const bodies = Object.fromEntries(articles.map((a) => [a.source, `${a.title}\n\n${a.body}`]));
    assert.equal(bodies['cp1252.txt'], TEXT);
    assert.equal(bodies['latin1.txt'], TEXT.replace(/[“”€]/g, '"'));
    assert.equal(bodies['utf16le-bom.txt'], TEXT);
    assert.equal(bodies['utf16be-bom.md'], TEXT);
    assert.equal(bodies['utf16le.txt'], TEXT);
    assert.equal(bodies['utf8-bom.txt'], TEXT, 'the mark is not part of the title');
    assert.equal(articles.find((a) => a.source === 'utf16be.json')?.body, TEXT);
    assert.deepEqual(notes, [
      { source: 'cp1252.txt', note: 'decoded as windows-1252 (Latin-1), not UTF-8' },
      { source: 'latin1.txt', note: 'decoded as windows-1252 (Latin-1), not UTF-8' },
      { source: 'utf16be-bom.md', note: 'decoded as UTF-16 (big-endian)' },
      { source: 'utf16be.json', note: 'decoded as UTF-16 (big-endian)' },
      { source: 'utf16le-bom.txt', note: 'decoded as UTF-16 (little-endian)' },
      { source: 'utf16le.txt', note: 'decoded as UTF-16 (little-endian)' },
    ]);
  });

  it('still skips bytes that are no text at all, with or without zero bytes', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'png.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    );
    // No zero byte, not UTF-8, and full of control bytes: binary, not windows-1252 text.
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 255 || 1));
    await writeFile(path.join(dir, 'noise.md'), noise);
    const { articles, skipped, notes } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(articles, []);
    assert.deepEqual(notes, []);
    assert.deepEqual(
      skipped.map((s) => [s.source, s.reason]),
      [
        ['noise.md', 'binary, not text'],
        ['png.txt', 'binary, not text'],
      ],
    );
    assert.equal(decodeText(noise), null);
  });

  it('reads the Latin-1 article of the BBC archive', {
    skip: !existsSync(bbcLatin1()) && 'no ../shared/corpora/bbc here',
  }, async () => {
    const bytes = await readFile(bbcLatin1());
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the file is not UTF-8');
    const dir = await tempDir();
    await copyFile(bbcLatin1(), path.join(dir, '199.txt'));
    const { articles, skipped, notes } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(skipped, []);
    assert.equal(articles[0]?.title, 'Chelsea sack Mutu');
    assert.match(articles[0]?.body ?? '', /a £15\.8m signing/);
    assert.deepEqual(notes, [{ source: '199.txt', note: 'decoded as windows-1252 (Latin-1), not UTF-8' }]);
  });
});

function bbcLatin1(): string {
  return path.join(PROJECT_ROOT, '..', 'shared', 'corpora', 'bbc', 'sport', '199.txt');
}
