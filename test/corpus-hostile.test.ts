import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { splitFrontMatter } from '../src/corpus/front-matter.js';
import { readCorpus } from '../src/corpus/read-corpus.js';
import { tempDir } from './helpers/temp.js';

const OPTIONS = { maxFileBytes: 64 * 1024 };

describe('hostile articles', () => {
  it('never runs JavaScript front matter (---js, ---javascript) and refuses it by name', async () => {
    const dir = await tempDir();
    const marker = path.join(dir, 'ran.txt');
    const payload = (lang: string) =>
      `---${lang}\n{ title: (function(){ require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'); return process.env.DISCORD_TOKEN || 'pwned'; })() }\n---\nBody text.\n`;
    await writeFile(path.join(dir, 'js.md'), payload('js'));
    await writeFile(path.join(dir, 'javascript.md'), payload('javascript'));
    await writeFile(path.join(dir, 'spaced.md'), payload(' js'));
    await writeFile(path.join(dir, 'coffee.md'), '---coffee\ntitle: "x"\n---\nBody.\n');
    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.equal(existsSync(marker), false, 'the front matter must not have been evaluated');
    assert.deepEqual(articles, []);
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    assert.match(reasons['js.md'] ?? '', /front matter in "js" is refused: only YAML/);
    assert.match(reasons['javascript.md'] ?? '', /front matter in "javascript" is refused/);
    assert.match(reasons['spaced.md'] ?? '', /front matter in "js" is refused/);
    assert.match(reasons['coffee.md'] ?? '', /front matter in "coffee" is refused/);
  });

  it('refuses YAML tags that would build objects, and bounds aliases', async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, 'tag.md'),
      "---\ntitle: !!js/function 'function () { return 1 }'\n---\nBody.\n",
    );
    await writeFile(path.join(dir, 'custom.md'), '---\ntitle: !Ref x\n---\nBody.\n');
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      laughs.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    await writeFile(path.join(dir, 'laughs.md'), `---\n${laughs.join('\n')}\ntitle: t\n---\nBody.\n`);
    const { articles, skipped } = await readCorpus(dir, OPTIONS);
    assert.deepEqual(articles, []);
    const reasons = Object.fromEntries(skipped.map((s) => [s.source, s.reason]));
    assert.match(reasons['tag.md'] ?? '', /YAML tag that is refused/);
    assert.match(reasons['custom.md'] ?? '', /YAML tag that is refused/);
    assert.match(reasons['laughs.md'] ?? '', /malformed front matter/);
  });

  it('reads YAML dates as written: an impossible date is no date, an offset date keeps its own day', () => {
    const read = (date: string) => {
      const parsed = splitFrontMatter(`---\ntitle: t\ndate: ${date}\n---\nBody.\n`);
      assert.ok(parsed.ok);
      return parsed.data.date;
    };
    // Strings, never Date objects: toIsoDate validates them (2024-02-30 is not March 1).
    assert.equal(read('2024-02-30'), '2024-02-30');
    assert.equal(read('2024-08-28T23:30:00-05:00'), '2024-08-28T23:30:00-05:00');
  });

  it('treats a file without an opening --- line as all body, and an unclosed block as malformed', () => {
    const plain = splitFrontMatter('# Title\n\nBody --- with dashes.\n');
    assert.ok(plain.ok);
    assert.deepEqual(plain.data, {});
    const unclosed = splitFrontMatter('---\ntitle: x\nBody that never closes the block.\n');
    assert.equal(unclosed.ok, false);
  });
});

describe('front matter dates end to end', () => {
  it('skips no article for a bad date but records none, and keeps the calendar day of an offset date', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'bad.md'), '---\ntitle: Bad date\ndate: 2024-02-30\n---\nBody.\n');
    await writeFile(
      path.join(dir, 'late.md'),
      '---\ntitle: Late edition\ndate: 2024-08-28T23:30:00-05:00\n---\nBody.\n',
    );
    const { articles } = await readCorpus(dir, OPTIONS);
    const byTitle = Object.fromEntries(articles.map((a) => [a.title, a.date]));
    assert.equal(byTitle['Bad date'], null);
    assert.equal(byTitle['Late edition'], '2024-08-28');
  });
});
