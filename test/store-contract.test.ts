import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LocalIndex } from 'vectra';
import { ArchiveReader } from '../src/store/archive.js';
import type { NearestFilter } from '../src/store/backend.js';
import { readManifest } from '../src/store/manifest.js';
import { pickMerge } from '../src/store/merge.js';
import { vectraIndexJson } from '../src/store/vectra-backend.js';
import { BACKENDS, indexedHashes, openArchive, openSearch, runIngest } from './helpers/index.js';
import { buildPdf, columnTexts } from './helpers/pdf-writer.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const NO_FILTER: NearestFilter = { outlet: null, sinceDay: null, untilDay: null, articleIds: null };

const article = (title: string, outlet: string, date: string, body: string) =>
  `---\ntitle: ${title}\noutlet: ${outlet}\ndate: ${date}\n---\n${body}\n`;

/** Every file under `dir` with its inode, size and modification time. */
async function fileIdentities(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    out.set(path.relative(dir, file), `${info.ino}:${info.size}:${info.mtimeMs}`);
  }
  return out;
}

for (const backend of BACKENDS) {
  describe(`the index store contract (${backend})`, () => {
    it('adds articles whose text, vectors and passages read back, found by words and by meaning', async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      const { summary, manifest } = await runIngest(corpus, index, 'use-static-128', { backend });
      assert.equal(manifest.backend, backend);
      assert.equal(summary.added, 5);
      assert.equal((await indexedHashes(index)).length, 5);
      const archive = await openArchive(index);
      const [view] = await archive.views([archive.articles[0]?.id ?? '']);
      assert.ok(view);
      const passage = view.passage(0);
      assert.ok(view.spanOf(passage.first, passage.last).end > 0);
      const lexical = await archive.lexical.search({ terms: ['hotan'], limit: 5, perArticle: 5 });
      assert.ok(lexical.hits.length > 0, 'a word of the archive is found');
      const [vector] = await archive.passageVectors([{ articleId: view.id, passage: 0 }]);
      assert.ok(vector);
      const nearest = await archive.nearest(vector, 3, NO_FILTER);
      assert.deepEqual(
        nearest[0],
        { articleId: view.id, passage: 0 },
        'a passage is its own nearest neighbour',
      );
      await archive.close();
    });

    it('replaces a changed article and drops a removed one, everywhere', async () => {
      const corpus = await tempDir();
      const index = path.join(await tempDir(), 'index');
      await writeFile(
        path.join(corpus, 'a.md'),
        article(
          'Harbour',
          'Courier',
          '2024-05-02',
          'The harbour reopened on Thursday after zebrafish repairs.',
        ),
      );
      await writeFile(
        path.join(corpus, 'b.md'),
        article('Bridge', 'Herald', '2024-06-10', 'The bridge closed for painting by the quokka crew.'),
      );
      await runIngest(corpus, index, 'use-static-128', { backend });
      const before = await openArchive(index);
      const oldVector = (
        await before.passageVectors([{ articleId: before.articles[0]?.id ?? '', passage: 0 }])
      )[0];
      await before.close();

      await writeFile(
        path.join(corpus, 'a.md'),
        article(
          'Harbour',
          'Courier',
          '2024-05-02',
          'The harbour stays shut: the wombat survey found cracks.',
        ),
      );
      await rm(path.join(corpus, 'b.md'));
      const { summary } = await runIngest(corpus, index, 'use-static-128', { backend });
      assert.deepEqual([summary.added, summary.updated, summary.removed, summary.unchanged], [0, 1, 1, 0]);

      const archive = await openArchive(index);
      assert.deepEqual(
        archive.articles.map((a) => a.source),
        ['a.md'],
      );
      assert.equal(
        (await archive.lexical.search({ terms: ['zebrafish'], limit: 5, perArticle: 5 })).hits.length,
        0,
      );
      assert.equal(
        (await archive.lexical.search({ terms: ['quokka'], limit: 5, perArticle: 5 })).hits.length,
        0,
      );
      assert.equal(
        (await archive.lexical.search({ terms: ['wombat'], limit: 5, perArticle: 5 })).hits.length,
        1,
      );
      assert.ok(oldVector);
      const nearest = await archive.nearest(oldVector, 10, NO_FILTER);
      assert.ok(
        nearest.every((n) => archive.get(n.articleId)),
        'no passage of a gone version comes back',
      );
      assert.equal(nearest.length, archive.manifest.counts.passages);
      assert.equal(
        archive.lexical.liveDocs,
        archive.manifest.counts.passages,
        'masked passages do not count',
      );
      await archive.close();
    });

    it('filters nearest passages by outlet, dates and article ids', async () => {
      const corpus = await tempDir();
      const index = path.join(await tempDir(), 'index');
      await writeFile(
        path.join(corpus, 'a.md'),
        article('Harbour', 'Courier', '2024-05-02', 'The harbour reopened after repairs.'),
      );
      await writeFile(
        path.join(corpus, 'b.md'),
        article('Harbour again', 'Herald', '2024-06-10', 'The harbour reopened after more repairs.'),
      );
      await writeFile(path.join(corpus, 'c.txt'), 'Undated harbour\n\nThe harbour reopened, undated.\n');
      await runIngest(corpus, index, 'use-static-128', { backend });
      const archive = await openArchive(index);
      const [query] = await archive.passageVectors([
        { articleId: archive.articles[0]?.id ?? '', passage: 0 },
      ]);
      assert.ok(query);
      const sources = async (filter: Partial<NearestFilter>) =>
        (await archive.nearest(query, 10, { ...NO_FILTER, ...filter }))
          .map((n) => archive.get(n.articleId)?.source)
          .sort();
      assert.deepEqual(await sources({}), ['a.md', 'b.md', 'c.txt']);
      assert.deepEqual(await sources({ outlet: 'Herald' }), ['b.md']);
      assert.deepEqual(await sources({ sinceDay: 20240601 }), ['b.md']);
      assert.deepEqual(
        await sources({ untilDay: 20240601 }),
        ['a.md'],
        'undated articles fail a date filter',
      );
      const c = archive.articles.find((a) => a.source === 'c.txt')?.id ?? '';
      assert.deepEqual(await sources({ articleIds: new Set([c]) }), ['c.txt']);
      await archive.close();
    });

    it('reloads to the same answers, and a second reader picks up a new commit', async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'use-static-128', { backend });
      const first = await openSearch(index);
      const question = 'How many heart patients received treatment without paying?';
      const answer = await first.search(question);
      const second = await openSearch(index);
      assert.deepEqual(await second.search(question), answer);
      await writeFile(
        path.join(corpus, 'heart.txt'),
        'Heart clinic\n\nThe heart clinic treated 40 patients without charge.\n',
      );
      await runIngest(corpus, index, 'use-static-128', { backend });
      const after = await first.search(question);
      assert.ok(
        after.results.some((r) => r.source === 'heart.txt'),
        'the open reader sees the new article',
      );
      await first.close();
      await second.close();
    });

    it('appends an article without rewriting what is stored (bytes written stay small)', async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'use-static-128', { backend });
      const before = await fileIdentities(index);
      await writeFile(
        path.join(corpus, 'new.txt'),
        'New report\n\nOne new article arrives in the archive today.\n',
      );
      await runIngest(corpus, index, 'use-static-128', { backend, maintenance: 'skip' });
      const after = await fileIdentities(index);
      const stored = [...before].filter(([file]) => file.startsWith('seg-') || file.includes('/data/'));
      assert.ok(stored.length > 0);
      for (const [file, identity] of stored) assert.equal(after.get(file), identity, `${file} is untouched`);
      let written = 0;
      for (const [file, identity] of after) {
        if (before.get(file) === identity) continue;
        written += (await stat(path.join(index, file))).size;
      }
      const total = [...after.keys()].length;
      assert.ok(total > 0);
      assert.ok(written < 64 * 1024, `one short article wrote ${written} bytes`);
    });

    it('merges small segments into one, and answers the same afterwards', async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'use-static-128', { backend });
      for (let i = 0; i < 8; i++) {
        await writeFile(
          path.join(corpus, `n${i}.txt`),
          `Report ${i}\n\nThe council met for session number ${i} on the pier.\n`,
        );
        await runIngest(corpus, index, 'use-static-128', { backend, maintenance: 'skip' });
      }
      const unmerged = await readManifest(index);
      assert.ok(unmerged.kind === 'ok' && unmerged.manifest.segments.length === 9);
      assert.ok(pickMerge(unmerged.manifest), 'nine small segments call for a merge');
      const search = await openSearch(index);
      const question = 'Where did the council meet for session number 5?';
      const answer = await search.search(question);
      await runIngest(corpus, index, 'use-static-128', { backend });
      const merged = await readManifest(index);
      assert.ok(merged.kind === 'ok' && merged.manifest.segments.length === 1, 'one segment after the merge');
      assert.equal(merged.manifest.counts.articles, 13);
      assert.deepEqual(await search.search(question), answer);
      assert.equal((await indexedHashes(index)).length, 13);
      await search.close();
    });

    it('keeps where the pages of a paged article start, through a merge, and its quotes name their page', async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      const pdf = buildPdf(
        [
          { texts: columnTexts(['The pier survey opens with the history of the pier.']) },
          { texts: columnTexts(['The survey found 212 rotten planks along the walkway.']) },
          { texts: columnTexts(['The repairs will take two summers, the engineers said.']) },
        ],
        { info: { Title: 'Pier survey' } },
      );
      await writeFile(path.join(corpus, 'pier.pdf'), pdf);
      await runIngest(corpus, index, 'use-static-128', { backend });
      const question = 'How many rotten planks did the pier survey find?';
      const search = await openSearch(index);
      const [first] = (await search.search(question, { limit: 1 })).results;
      assert.equal(first?.source, 'pier.pdf');
      assert.match(first?.quote ?? '', /212 rotten planks/);
      assert.deepEqual(first?.pages, { first: 2, last: 2 });
      const [other] = (await search.search('How many heart patients were treated for free?', { limit: 1 }))
        .results;
      assert.equal(other?.pages, null, 'an article that is not paged has no page');
      for (let i = 0; i < 8; i++) {
        await writeFile(
          path.join(corpus, `m${i}.txt`),
          `Note ${i}\n\nThe harbour office note number ${i}.\n`,
        );
        await runIngest(corpus, index, 'use-static-128', { backend, maintenance: 'skip' });
      }
      await runIngest(corpus, index, 'use-static-128', { backend });
      const merged = await readManifest(index);
      assert.ok(merged.kind === 'ok' && merged.manifest.segments.length === 1, 'merged into one segment');
      const [after] = (await search.search(question, { limit: 1 })).results;
      assert.deepEqual(after?.pages, { first: 2, last: 2 }, 'the pages survive the merge');
      await search.close();
    });
  });
}

describe('both backends', () => {
  it('give the same answers to the same questions', async () => {
    const corpus = await copyOfShippedCorpus();
    const questions = JSON.parse(await readFile('test/fixtures/questions.json', 'utf8')) as {
      onTopic: Array<{ q: string }>;
      offTopic: string[];
    };
    const answers: string[][] = [];
    for (const backend of BACKENDS) {
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'use-static-128', { backend });
      const search = await openSearch(index);
      const lines: string[] = [];
      for (const q of [...questions.onTopic.map((x) => x.q), ...questions.offTopic]) {
        const { results } = await search.search(q, { limit: 3 });
        lines.push(results.map((r) => `${r.source} ${r.start}-${r.end} ${r.score}`).join(' | '));
      }
      answers.push(lines);
      await search.close();
    }
    assert.deepEqual(answers[1], answers[0]);
  });
});

describe('vectra segments', () => {
  it('write index.json exactly as vectra does, and vectra reads it back', async () => {
    const dir = await tempDir();
    const rows = [
      { articleId: 'a1', passage: 0, outlet: 'X', day: 20240101, vector: Float32Array.from([0.6, 0.8, 0]) },
      { articleId: 'a1', passage: 1, outlet: 'X', day: 20240101, vector: Float32Array.from([0, 0.6, 0.8]) },
    ];
    const theirs = new LocalIndex(path.join(dir, 'theirs'));
    await theirs.createIndex({ version: 1 });
    for (const r of rows) {
      await theirs.insertItem({
        id: `${r.articleId}:${r.passage}`,
        vector: Array.from(r.vector, (x) => Math.round(x * 1e6) / 1e6),
        metadata: { article: r.articleId, passage: r.passage, outlet: r.outlet, day: r.day },
      });
    }
    const ours = JSON.parse(vectraIndexJson(rows));
    assert.deepEqual(ours, JSON.parse(await readFile(path.join(dir, 'theirs', 'index.json'), 'utf8')));
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(ours));
    const reread = new LocalIndex(dir);
    const [top] = await reread.queryItems([0, 0.6, 0.8], '', 1);
    assert.equal(top?.item.id, 'a1:1');
  });
});

describe('opening an index', () => {
  it("reads metadata only: the articles' text is read when a question needs it", async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'tiny-random-bert');
    const manifest = await readManifest(index);
    assert.ok(manifest.kind === 'ok');
    // Zero the text file, keeping its size: opening still works (it never reads it); an article's text,
    // read when asked for, fails its checksum and is left out.
    const segment = path.join(index, manifest.manifest.segments[0]?.id ?? '');
    const text = path.join(segment, 'articles.bin');
    await writeFile(text, Buffer.alloc((await stat(text)).size));
    const archive = await ArchiveReader.open(index);
    assert.ok(archive);
    assert.equal(archive.articles.length, 5);
    assert.deepEqual(await archive.views([archive.articles[0]?.id ?? '']), []);
    await archive.close();
  });
});
