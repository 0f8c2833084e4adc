import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../src/logger.js';
import { openOrBuildIndex } from '../src/open-index.js';
import { readManifest } from '../src/store/manifest.js';
import { BACKENDS, indexedHashes, openArchive, openSearch, runIngest } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/** First-seen times by source. */
async function addedAt(index: string): Promise<Record<string, string>> {
  const archive = await openArchive(index);
  const out = Object.fromEntries(archive.articles.map((a) => [a.source, a.addedAt]));
  await archive.close();
  return out;
}

const clock = (iso: string) => () => new Date(iso);

describe('first-seen times (addedAt)', () => {
  it('survive a model change, a damaged index and a folder move', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'tiny-random-bert', { now: clock('2026-01-01T00:00:00Z') });
    const first = await addedAt(index);
    assert.ok(Object.values(first).every((t) => t === '2026-01-01T00:00:00.000Z'));

    await runIngest(corpus, index, 'use-static-128', { now: clock('2026-02-01T00:00:00Z') });
    assert.deepEqual(await addedAt(index), first, 'a new model keeps them');

    await writeFile(path.join(index, 'manifest.json'), '{ "format": 2, "broken');
    await runIngest(corpus, index, 'use-static-128', { now: clock('2026-03-01T00:00:00Z') });
    assert.deepEqual(await addedAt(index), first, 'a rebuild after damage keeps them');

    await mkdir(path.join(corpus, 'archive', '2024'), { recursive: true });
    for (const file of (await readdir(corpus)).filter((f) => f.endsWith('.txt')))
      await rename(path.join(corpus, file), path.join(corpus, 'archive', '2024', file));
    await writeFile(path.join(corpus, 'fresh.txt'), 'Fresh report\n\nSomething new happened today.\n');
    await runIngest(corpus, index, 'use-static-128', { now: clock('2026-04-01T00:00:00Z') });
    const moved = await addedAt(index);
    for (const [source, time] of Object.entries(first))
      assert.equal(moved[`archive/2024/${source}`], time, `${source} moved, same first-seen time`);
    assert.equal(moved['fresh.txt'], '2026-04-01T00:00:00.000Z', 'a new article is new');
  });

  it('carry over from an index written by the older format', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    const fresh = await runIngest(corpus, index, 'tiny-random-bert');
    const archive = await openArchive(index);
    const articles = archive.articles;
    await archive.close();
    // What an older Clipdesk left: a format-1 manifest and a generation with articles.json.
    await rm(index, { recursive: true });
    await mkdir(path.join(index, 'gen-old'), { recursive: true });
    await writeFile(path.join(index, 'manifest.json'), JSON.stringify({ format: 1, generation: 'gen-old' }));
    await writeFile(
      path.join(index, 'gen-old', 'articles.json'),
      JSON.stringify(articles.map((a) => ({ id: a.id, hash: a.hash, addedAt: '2025-05-05T05:05:05.000Z' }))),
    );
    assert.equal(fresh.summary.added, 5);
    await runIngest(corpus, index, 'tiny-random-bert', { now: clock('2026-06-01T00:00:00Z') });
    assert.ok(Object.values(await addedAt(index)).every((t) => t === '2025-05-05T05:05:05.000Z'));
    assert.ok(!(await readdir(index)).includes('gen-old'), 'the older generation is removed');
  });
});

describe('an empty or missing corpus over an index', () => {
  it('is refused instead of wiping the index, unless --allow-empty', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index);
    const empty = await tempDir();
    await assert.rejects(
      runIngest(empty, index),
      /is empty, but the index holds 5 articles: nothing was removed.*--allow-empty/s,
    );
    await assert.rejects(
      runIngest(path.join(empty, 'unmounted'), index),
      /The corpus folder .*unmounted cannot be read \(ENOENT\).*mounted/,
    );
    assert.equal((await indexedHashes(index)).length, 5, 'the index is untouched');
    const emptied = await runIngest(empty, index, 'tiny-random-bert', { allowEmpty: true });
    assert.equal(emptied.summary.removed, 5);
    assert.equal((await indexedHashes(index)).length, 0);
  });
});

for (const backend of BACKENDS) {
  describe(`a full disk during an ingest (${backend})`, () => {
    it('stops with a clear message, leaves the index as it was and no leftovers, and the next ingest works', async () => {
      const corpus = await copyOfShippedCorpus();
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'tiny-random-bert', { backend });
      const before = await indexedHashes(index);
      const foldersBefore = (await readdir(index)).sort();
      await writeFile(path.join(corpus, 'extra.txt'), 'Extra report\n\nA new article for a full disk.\n');
      let written = 0;
      const full = (file: string, bytes: number) => {
        written += bytes;
        if (file.endsWith('lexicon.bin'))
          throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), {
            code: 'ENOSPC',
          });
      };
      await assert.rejects(
        runIngest(corpus, index, 'tiny-random-bert', { backend, beforeWrite: full }),
        /The disk holding .* is full: the ingest stopped and the index was left as it was.*Free some space/s,
      );
      assert.ok(written > 0);
      assert.deepEqual(await indexedHashes(index), before);
      assert.deepEqual((await readdir(index)).sort(), foldersBefore, 'no half-written segment is left');
      const next = await runIngest(corpus, index, 'tiny-random-bert', { backend });
      assert.equal(next.summary.added, 1);
      assert.equal((await indexedHashes(index)).length, 6);
    });
  });
}

describe('a damaged index', () => {
  it('is named with the file and the repair command, and the bot rebuilds it at start', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'use-static-128');
    const manifest = await readManifest(index);
    assert.ok(manifest.kind === 'ok');
    const catalog = path.join(index, manifest.manifest.segments[0]?.id ?? '', 'catalog.json');
    await writeFile(catalog, (await readFile(catalog, 'utf8')).slice(0, 100));
    await assert.rejects(openSearch(index), (error: Error) => {
      assert.match(error.message, /The index in .* is damaged: .*catalog\.json.*Run `npm run ingest`/s);
      assert.equal(error.name, 'UserFacingError');
      return true;
    });

    const reasons: string[] = [];
    const search = await openOrBuildIndex({
      config: {
        corpusDir: corpus,
        indexDir: index,
        indexBackend: 'vectra',
        relevanceParams: null,
        maxFileBytes: 1024 * 1024,
        embeddingModel: 'use-static-128',
      },
      embedder: await testEmbedder('use-static-128'),
      log: silentLogger(),
      onBuild: (reason) => reasons.push(reason),
    });
    assert.match(reasons[0] ?? '', /damaged.*rebuilding it/);
    assert.equal(search.articles.length, 5);
    await search.close();

    await writeFile(path.join(index, 'manifest.json'), 'not json');
    await assert.rejects(openSearch(index), /manifest\.json is not valid JSON\. Run `npm run ingest`/);
  });
});

describe('a corpus folder changed under an index', () => {
  it('is ingested before answering, instead of answering from the old folder', async () => {
    const first = await copyOfShippedCorpus();
    const second = await tempDir();
    await writeFile(
      path.join(second, 'ferry.txt'),
      'Ferry timetable changes\n\nThe island ferry will sail twice a day from March, the operator said.\n',
    );
    const index = path.join(await tempDir(), 'index');
    const open = async (corpusDir: string, reasons: string[]) =>
      openOrBuildIndex({
        config: {
          corpusDir,
          indexDir: index,
          indexBackend: 'vectra',
          relevanceParams: null,
          maxFileBytes: 1 << 20,
          embeddingModel: 'x',
        },
        embedder: await testEmbedder('use-static-128'),
        log: silentLogger(),
        onBuild: (reason) => reasons.push(reason),
      });
    const before = await open(first, []);
    assert.equal(before.articles.length, 5);
    await before.close();
    const reasons: string[] = [];
    const after = await open(second, reasons);
    assert.match(reasons[0] ?? '', /was built from .*; bringing it in line with/);
    assert.deepEqual(
      after.articles.map((a) => a.source),
      ['ferry.txt'],
    );
    await after.close();
    const again: string[] = [];
    await (await open(second, again)).close();
    assert.deepEqual(again, [], 'once in line, it opens without ingesting');
  });
});
