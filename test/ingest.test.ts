import assert from 'node:assert/strict';
import { appendFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { loadSnapshot } from '../src/search/index-store.js';
import { openSearch, runIngest } from './helpers/index.js';
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
    assert.equal(again.manifest.generation, first.manifest.generation, 'no new generation for no change');

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
    const snapshot = await loadSnapshot(index);
    assert.ok(snapshot);
    const sources = snapshot.articles.map((a) => a.source);
    assert.deepEqual(sources, [
      '000_01192254e148cab4.txt',
      '001_6d679d00b5a46ec6.txt',
      '002_35826060f10723de.txt',
      '003_e9c50f8481d5a253.txt',
      'new.md',
    ]);
    const items = await snapshot.vectra.listItems();
    assert.equal(items.length, changed.summary.passages);
    const live = new Set(snapshot.articles.map((a) => a.id));
    assert.ok(
      items.every((i) => live.has(i.metadata.article)),
      'no passage of the removed article is left in vectra',
    );
    const embeddedNow = changed.summary.embeddedPassages;
    const passagesOfChanged = snapshot.articles
      .filter((a) => a.source === '003_e9c50f8481d5a253.txt' || a.source === 'new.md')
      .reduce((n, a) => n + a.passages.length / 2, 0);
    assert.equal(embeddedNow, passagesOfChanged, 'only the changed and the new article were embedded');

    const entries = (await readdir(index)).filter((e) => e.startsWith('gen-'));
    assert.ok(entries.length <= 2, `old generations are pruned (${entries.join(', ')})`);
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
  });

  it('rebuilds an index made with another model instead of mixing vectors', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'tiny-random-bert');
    const rebuilt = await runIngest(corpus, index, 'use-static-128');
    assert.deepEqual([rebuilt.summary.added, rebuilt.summary.updated, rebuilt.summary.unchanged], [0, 5, 0]);
    assert.equal(rebuilt.manifest.model.dimension, 128);
    const items = await (await loadSnapshot(index))?.vectra.listItems();
    assert.ok(items?.every((i) => i.vector.length === 128));
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
    const after = await ingest(options);
    assert.equal(after.summary.unchanged, 5);
  });
});
