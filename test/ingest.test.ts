import assert from 'node:assert/strict';
import { appendFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { indexedArticles, indexedHashes, openArchive, openSearch, runIngest } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

describe('incremental ingest', () => {
  it('adds, re-embeds only what changed, removes what left, and says so', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');

    const first = await runIngest(corpus, index);
    assert.deepEqual(
      [first.summary.added, first.summary.updated, first.summary.unchanged, first.summary.removed],
      [5, 0, 0, 0],
    );
    assert.ok(first.summary.passages > 20);
    assert.equal(first.summary.embeddedPassages, first.summary.passages);

    const again = await runIngest(corpus, index);
    assert.deepEqual(
      [again.summary.added, again.summary.updated, again.summary.unchanged, again.summary.removed],
      [0, 0, 5, 0],
    );
    assert.equal(again.summary.embeddedPassages, 0, 'nothing is re-embedded');
    assert.equal(again.manifest.sequence, first.manifest.sequence, 'no new commit for no change');

    await appendFile(
      path.join(corpus, '003_e9c50f8481d5a253.txt'),
      '\nA new closing sentence about solar heating in Nagqu.',
    );
    await rm(path.join(corpus, '004_1f6cc5111f6a3622.txt'));
    await writeFile(
      path.join(corpus, 'new.md'),
      '---\ntitle: Harbour reopens\noutlet: The Courier\ndate: 2024-05-02\n---\nThe harbour reopened on Thursday after repairs.\n',
    );
    const changed = await runIngest(corpus, index);
    assert.deepEqual(
      [changed.summary.added, changed.summary.updated, changed.summary.unchanged, changed.summary.removed],
      [1, 1, 3, 1],
    );
    assert.equal(changed.changes.added.length, 1);
    assert.equal(changed.changes.removed.length, 1);
    const archive = await openArchive(index);
    assert.deepEqual(
      archive.articles.map((a) => a.source),
      [
        '000_01192254e148cab4.txt',
        '001_6d679d00b5a46ec6.txt',
        '002_35826060f10723de.txt',
        '003_e9c50f8481d5a253.txt',
        'new.md',
      ],
    );
    const embeddedNow = changed.summary.embeddedPassages;
    const passagesOfChanged = archive.articles
      .filter((a) => a.source === '003_e9c50f8481d5a253.txt' || a.source === 'new.md')
      .reduce((n, a) => n + a.passageCount, 0);
    assert.equal(embeddedNow, passagesOfChanged, 'only the changed and the new article were embedded');
    assert.equal(changed.summary.passages, archive.manifest.counts.passages);
    await archive.close();
    await indexedHashes(index);
  });

  it('does not read an unchanged file again, and does not parse a touched one whose bytes did not change', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index);
    const file = path.join(corpus, '001_6d679d00b5a46ec6.txt');
    await utimes(file, new Date(), new Date('2030-01-01T00:00:00Z'));
    const log: Array<{ phase: string; done: number; total: number }> = [];
    const result = await runIngest(corpus, index, 'tiny-random-bert', { onProgress: (p) => log.push(p) });
    assert.equal(result.summary.unchanged, 5);
    assert.equal(result.summary.embeddedPassages, 0);
    assert.equal(result.summary.parsedFiles, 0, 'the touched file was hashed, not parsed');
    const plan = log.filter((p) => p.phase === 'reading').at(-1);
    assert.equal(plan?.total, 5);
  });

  it('reads only the files it is told changed, and removes a named file that is gone', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index);
    await writeFile(path.join(corpus, 'named.txt'), 'Named report\n\nThe feed wrote this one.\n');
    await writeFile(path.join(corpus, 'unnamed.txt'), 'Unnamed report\n\nNobody said this one changed.\n');
    const targeted = await runIngest(corpus, index, 'tiny-random-bert', { changed: ['named.txt'] });
    assert.deepEqual([targeted.summary.added, targeted.summary.unchanged], [1, 5]);
    let sources = (await indexedArticles(index)).map((a) => a.source);
    assert.ok(
      sources.includes('named.txt') && !sources.includes('unnamed.txt'),
      'only the named file was read',
    );

    await rm(path.join(corpus, 'named.txt'));
    const gone = await runIngest(corpus, index, 'tiny-random-bert', {
      changed: [path.join(corpus, 'named.txt')],
    });
    assert.deepEqual([gone.summary.removed, gone.summary.unchanged], [1, 5]);

    // A folder among the changed paths means "look at everything".
    const all = await runIngest(corpus, index, 'tiny-random-bert', { changed: [corpus] });
    assert.equal(all.summary.added, 1);
    sources = (await indexedArticles(index)).map((a) => a.source);
    assert.ok(sources.includes('unnamed.txt'));
  });

  it('finds the new text after an update', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'use-static-128');
    await writeFile(
      path.join(corpus, 'volcano.txt'),
      'Volcano erupts near the coast\n\nThe volcano erupted on Sunday, covering the coastal town in ash.\n',
    );
    await runIngest(corpus, index, 'use-static-128');
    const search = await openSearch(index);
    const { results } = await search.search('Which town was covered in volcanic ash?');
    assert.equal(results[0]?.source, 'volcano.txt');
    await search.close();
  });

  it('rebuilds an index made with another model instead of mixing vectors', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'tiny-random-bert');
    const rebuilt = await runIngest(corpus, index, 'use-static-128');
    assert.deepEqual([rebuilt.summary.added, rebuilt.summary.updated, rebuilt.summary.unchanged], [0, 5, 0]);
    assert.equal(rebuilt.manifest.model.dimension, 128);
    const archive = await openArchive(index);
    const vectors = await archive.passageVectors([{ articleId: archive.articles[0]?.id ?? '', passage: 0 }]);
    assert.equal(vectors[0]?.length, 128);
    await archive.close();
    const folders = (await readdir(index)).filter((e) => e.startsWith('seg-'));
    assert.ok(folders.length <= 2, `the old model's segments go (kept one commit at most): ${folders}`);
  });

  it('refuses to search an index built with another model, naming both', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'tiny-random-bert');
    await assert.rejects(openSearch(index, 'use-static-128'), (error: Error) => {
      assert.match(
        error.message,
        /was built with .*tiny-random-bert.*but EMBEDDING_MODEL is .*use-static-128.*npm run ingest/s,
      );
      return true;
    });
  });

  it('runs ingests of one index one at a time, and keeps another process out with a lock', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    const embedder = await testEmbedder('tiny-random-bert');
    const options = {
      corpusDir: corpus,
      indexDir: index,
      maxFileBytes: 1024 * 1024,
      embedder,
      log: silentLogger(),
    };
    const [a, b] = await Promise.all([ingest(options), ingest(options)]);
    assert.equal(a.summary.added, 5);
    assert.equal(b.summary.unchanged, 5, 'the second waited for the first');

    // A lock held by a live process (our parent, say) keeps the ingest out with a clear message.
    await writeFile(
      path.join(index, 'ingest.lock'),
      JSON.stringify({ pid: process.ppid, since: '2026-01-01T00:00:00Z' }),
    );
    await assert.rejects(ingest(options), /Another ingest is running \(process \d+/);
    // A lock left by a dead process is taken over.
    await writeFile(
      path.join(index, 'ingest.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, since: '2026-01-01T00:00:00Z' }),
    );
    const after = await ingest({ ...options, maintenance: 'await' });
    assert.equal(after.summary.unchanged, 5);
  });

  it('times the whole ingest, writing included', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    // A clock that moves one second for every index file written: the duration counts the writes.
    let clock = Date.parse('2026-05-01T09:00:00Z');
    let writes = 0;
    const { summary } = await runIngest(corpus, index, 'tiny-random-bert', {
      maintenance: 'skip',
      now: () => new Date(clock),
      beforeWrite: () => {
        writes++;
        clock += 1000;
      },
    });
    assert.ok(writes > 0, 'the ingest wrote index files');
    assert.equal(summary.seconds, writes, 'every write falls inside the timed span');
    assert.equal(summary.finishedAt, new Date(clock).toISOString());
  });
});
