import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findQuotes, speakerList } from '../src/quotes/search.js';
import { QUOTES_VERSION } from '../src/quotes/stored.js';
import { BACKENDS, openArchive, runIngest } from './helpers/index.js';
import { testModelPath } from './helpers/models.js';
import { runNode } from './helpers/run-node.js';
import { tempDir } from './helpers/temp.js';

/** Two made-up articles: one minister quoted in both, a spokeswoman in one. */
async function corpusWithQuotes(): Promise<string> {
  const corpus = await tempDir('clipdesk-quotes-');
  await writeFile(
    path.join(corpus, 'rail.md'),
    '---\ntitle: Rail fares frozen\ndate: 2025-01-10\noutlet: The Courier\nurl: https://example.org/rail\n---\n' +
      'Transport minister Grace Aldous announced the freeze on Friday.\n\n' +
      '"Fares will not rise this year," Ms Aldous said. "Passengers have paid enough."\n\n' +
      '"We welcome the decision," a rail company spokeswoman said.\n',
  );
  await writeFile(
    path.join(corpus, 'roads.md'),
    '---\ntitle: Road repairs delayed\ndate: 2025-02-03\noutlet: Gazette\n---\n' +
      'Grace Aldous said on Monday: "The potholes will be fixed by spring."\n',
  );
  return corpus;
}

for (const backend of BACKENDS) {
  describe(`quotations in the index (${backend})`, () => {
    it('are stored with each article, exact to the stored text, with a speaker list', async () => {
      const corpus = await corpusWithQuotes();
      const index = path.join(await tempDir(), 'index');
      const result = await runIngest(corpus, index, 'use-static-128', { backend });
      assert.equal(result.manifest.format, 3);
      assert.deepEqual(result.manifest.quotes, { version: QUOTES_VERSION });
      const archive = await openArchive(index);
      try {
        const list = speakerList(archive.articles);
        assert.deepEqual(
          list.map((s) => [s.name, s.quotes, s.articles, s.first, s.last]),
          [
            ['Grace Aldous', 3, 2, '2025-01-10', '2025-02-03'],
            ['a rail company spokeswoman', 1, 1, '2025-01-10', '2025-01-10'],
          ],
        );
        const hits = await findQuotes(archive, { speaker: 'aldous' });
        assert.deepEqual(
          hits.map((h) => h.quote),
          [
            'The potholes will be fixed by spring.',
            'Fares will not rise this year,',
            'Passengers have paid enough.',
          ],
          'newest first',
        );
        const [view] = await archive.views([hits[0]?.article.id as string]);
        assert.equal(view?.body.slice(hits[0]?.start, hits[0]?.end), hits[0]?.quote);
        assert.deepEqual(
          await findQuotes(archive, { speaker: 'Grace Aldous', outlet: 'gazette' }).then((h) => h.length),
          1,
        );
        assert.deepEqual(await findQuotes(archive, { speaker: 'Nobody Else' }), []);
      } finally {
        await archive.close();
      }
    });

    it('are extracted again when the article changes', async () => {
      const corpus = await corpusWithQuotes();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'use-static-128', { backend });
      await writeFile(
        path.join(corpus, 'roads.md'),
        '---\ntitle: Road repairs delayed\ndate: 2025-02-03\noutlet: Gazette\n---\n' +
          'Council leader Omar Haddad said: "We need more money."\n',
      );
      await runIngest(corpus, index, 'use-static-128', { backend });
      const archive = await openArchive(index);
      try {
        assert.deepEqual(
          speakerList(archive.articles).map((s) => [s.name, s.quotes]),
          [
            ['Grace Aldous', 2],
            ['a rail company spokeswoman', 1],
            ['Omar Haddad', 1],
          ],
        );
      } finally {
        await archive.close();
      }
    });

    it('are added to an index written before quotations (format 2) without embedding anything again', async () => {
      const corpus = await corpusWithQuotes();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'use-static-128', { backend });
      // Make it what the previous version wrote: format 2, no quotes version, no quotations.
      const file = path.join(index, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      manifest.format = 2;
      delete manifest.quotes;
      await writeFile(file, JSON.stringify(manifest));
      const again = await runIngest(corpus, index, 'use-static-128', { backend });
      assert.equal(again.summary.embeddedPassages, 0, 'nothing embedded again');
      assert.equal(again.manifest.format, 3);
      assert.deepEqual(again.manifest.quotes, { version: QUOTES_VERSION });
      const archive = await openArchive(index);
      try {
        assert.equal(speakerList(archive.articles)[0]?.name, 'Grace Aldous');
      } finally {
        await archive.close();
      }
    });
  });
}

describe('a typed surname', () => {
  it('stands for the person quoted most among the articles searched', async () => {
    const corpus = await tempDir('clipdesk-quotes-');
    await writeFile(
      path.join(corpus, 'tennis.md'),
      '---\ntitle: Hewitt through\ndate: 2025-01-20\noutlet: Sport Daily\n---\n' +
        'Tennis player Lleyton Hewitt won in four sets. "I served well," Hewitt said. "The crowd helped," he added. "On to the next round."\n',
    );
    await writeFile(
      path.join(corpus, 'games.md'),
      '---\ntitle: Games ratings\ndate: 2025-01-21\noutlet: Politics Weekly\n---\n' +
        'Patricia Hewitt, the trade secretary, spoke on Monday. "Parents need clearer ratings," Ms Hewitt said.\n',
    );
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'use-static-128');
    const archive = await openArchive(index);
    try {
      const everywhere = await findQuotes(archive, { speaker: 'hewitt' });
      assert.ok(everywhere.length > 0 && everywhere.every((h) => h.speaker === 'Lleyton Hewitt'));
      const inPolitics = await findQuotes(archive, { speaker: 'hewitt', outlet: 'Politics Weekly' });
      assert.deepEqual(
        inPolitics.map((h) => [h.speaker, h.quote]),
        [['Patricia Hewitt', 'Parents need clearer ratings,']],
      );
      assert.deepEqual(
        (await findQuotes(archive, { speaker: 'Patricia Hewitt' })).map((h) => h.speaker),
        ['Patricia Hewitt'],
      );
    } finally {
      await archive.close();
    }
  });
});

describe('npm run quotes', () => {
  it('keeps the contract: --speaker, --file, and one JSON line per stdin line, in order', async () => {
    const corpus = await corpusWithQuotes();
    // A file whose path relative to CORPUS_DIR also names a file of the project (the shipped corpus/).
    await mkdir(path.join(corpus, 'corpus'));
    await writeFile(
      path.join(corpus, 'corpus', '000_01192254e148cab4.txt'),
      'Ferry timetable\n\n"Sailings resume on Monday," the harbour master, Ines Duarte, said.\n',
    );
    const work = await tempDir();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CORPUS_DIR: corpus,
      INDEX_DIR: path.join(work, 'index'),
      MODEL_CACHE_DIR: path.join(work, 'models'),
      EMBEDDING_MODEL: testModelPath('use-static-128'),
    };
    const run = (args: string[], stdin?: string) =>
      runNode(path.join('src', 'cli', 'quotes.ts'), args, { env, stdin });

    const bySpeaker = await run(['--json', '--speaker', 'Ms Aldous', '--limit', '2']);
    assert.equal(bySpeaker.code, 0, bySpeaker.stderr);
    const { results } = JSON.parse(bySpeaker.stdout) as { results: Array<Record<string, unknown>> };
    assert.equal(results.length, 2);
    assert.deepEqual(Object.keys(results[0] as object).sort(), [
      'cue',
      'date',
      'end',
      'file',
      'outlet',
      'quote',
      'speaker',
      'start',
      'title',
      'url',
    ]);
    assert.deepEqual(results[0], {
      file: 'roads.md',
      title: 'Road repairs delayed',
      outlet: 'Gazette',
      date: '2025-02-03',
      url: null,
      quote: 'The potholes will be fixed by spring.',
      start: 30,
      end: 67,
      speaker: 'Grace Aldous',
      cue: 'said',
    });

    const byFile = await run(['--json', '--file', path.join(corpus, 'rail.md')]);
    assert.equal(byFile.code, 0, byFile.stderr);
    const fileQuotes = (
      JSON.parse(byFile.stdout) as { results: Array<{ quote: string; speaker: string | null }> }
    ).results;
    assert.deepEqual(
      fileQuotes.map((q) => [q.quote, q.speaker]),
      [
        ['Fares will not rise this year,', 'Grace Aldous'],
        ['Passengers have paid enough.', 'Grace Aldous'],
        ['We welcome the decision,', 'a rail company spokeswoman'],
      ],
    );

    const sameName = await run(['--json', '--file', 'corpus/000_01192254e148cab4.txt']);
    assert.equal(sameName.code, 0, sameName.stderr);
    assert.deepEqual(
      (JSON.parse(sameName.stdout) as { results: Array<{ quote: string; speaker: string }> }).results.map(
        (r) => [r.quote, r.speaker],
      ),
      [['Sailings resume on Monday,', 'Ines Duarte']],
    );

    const lines = [
      '{"speaker":"grace aldous","about":"potholes"}',
      '{"file":"rail.md","speaker":"spokeswoman"}',
      'not json',
      // Keys other than a query's (a labelled query file piped in as it is) are ignored; null is absent.
      '{"id":"q4","speaker":"Nobody Else","about":null,"expected":[{"quote":"x"}]}',
      '{"speaker":"aldous","since":"2025-02-01"}',
    ];
    const stdin = await run(['--json'], `${lines.join('\n')}\n`);
    assert.equal(stdin.code, 0, stdin.stderr);
    const out = stdin.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { results: Array<{ quote: string }>; error?: string });
    assert.equal(out.length, lines.length, 'one line out per line in');
    assert.equal(out[0]?.results[0]?.quote, 'The potholes will be fixed by spring.', 'most relevant first');
    assert.deepEqual(
      out[1]?.results.map((r) => r.quote),
      ['We welcome the decision,'],
    );
    assert.match(out[2]?.error ?? '', /not a JSON line/);
    assert.deepEqual(out[3]?.results, []);
    assert.deepEqual(
      out[4]?.results.map((r) => r.quote),
      ['The potholes will be fixed by spring.'],
    );
  });
});
