import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { archiveToText, listArchive } from '../src/cli/archive-list.js';
import { formatSummary } from '../src/ingest/progress.js';
import { printableName } from '../src/util/printable.js';
import { indexedArticles, runIngest } from './helpers/index.js';
import { tempDir } from './helpers/temp.js';

describe('file names in the CLI output', () => {
  it('a corpus file with a newline or an escape sequence in its name is listed escaped, on its own lines', async () => {
    const corpus = await tempDir();
    await writeFile(
      path.join(corpus, 'two\nlines.txt'),
      'Split name\n\nA report whose file name holds a newline.\n',
    );
    await writeFile(
      path.join(corpus, '\u001b[2Jred.txt'),
      'Escape name\n\nA report whose file name clears the screen.\n',
    );
    await writeFile(path.join(corpus, 'plain.txt'), 'Plain name\n\nA report with an ordinary file name.\n');
    await writeFile(path.join(corpus, 'odd\nname.pdf'), 'not read');
    const index = path.join(await tempDir(), 'index');
    const result = await runIngest(corpus, index);
    const text = archiveToText(listArchive(await indexedArticles(index), null), corpus, corpus);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 2 + 3 * 2, 'a header, a blank line, then two lines per article');
    assert.ok(lines.includes('   "two\\nlines.txt"'), text);
    assert.ok(lines.includes('   "\\u001b[2Jred.txt"'), text);
    assert.ok(lines.includes('   plain.txt'));
    assert.ok(!text.includes('\u001b'));
    const summary = formatSummary(result);
    // (A file named .pdf that is not one is skipped as such: the name is what this is about.)
    assert.match(summary, /skipped "odd\\nname\.pdf": not a PDF/);
    assert.equal(summary.split('\n').filter((l) => l.includes('odd')).length, 1);
  });

  it('leaves plain names as they are, accents and all', () => {
    assert.equal(printableName('été/Zürich report.md'), 'été/Zürich report.md');
    assert.equal(printableName('a\u202ebackwards.txt'), '"a\\u202ebackwards.txt"');
  });
});
