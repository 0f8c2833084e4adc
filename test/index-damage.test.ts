import assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../src/logger.js';
import type { BackendName } from '../src/store/manifest.js';
import { IndexDamagedError } from '../src/store/manifest.js';
import { BACKENDS, openSearch, runIngest } from './helpers/index.js';
import { testModelPath } from './helpers/models.js';
import { runNode } from './helpers/run-node.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

const QUESTION = 'How many heart patients were treated for free?';
const TRUE_TEXT = /8,300 patients with congenital heart disease/;

/** A fresh index of the shipped corpus, and the segment folder holding the heart patients article. */
async function builtIndex(backend: BackendName = 'vectra') {
  const corpus = await copyOfShippedCorpus();
  const index = path.join(await tempDir(), 'index');
  await runIngest(corpus, index, 'use-static-128', { backend });
  const manifest = JSON.parse(await readFile(path.join(index, 'manifest.json'), 'utf8')) as {
    segments: Array<{ id: string }>;
  };
  for (const { id } of manifest.segments) {
    const catalog = await readFile(path.join(index, id, 'catalog.json'), 'utf8');
    if (catalog.includes('003_e9c50f8481d5a253.txt')) return { corpus, index, segment: path.join(index, id) };
  }
  throw new Error('no segment holds the article');
}

/** `npm run ingest`, the repair the damage messages name, as its own process. */
async function npmRunIngest(corpus: string, index: string, backend: BackendName = 'vectra') {
  const run = await runNode(path.join('src', 'cli', 'ingest.ts'), [], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CORPUS_DIR: corpus,
      INDEX_DIR: index,
      INDEX_BACKEND: backend,
      MODEL_CACHE_DIR: path.join(index, '..', 'models'),
      EMBEDDING_MODEL: testModelPath('use-static-128'),
    },
  });
  assert.equal(run.code, 0, run.stderr);
  return run.stdout;
}

async function answer(index: string): Promise<string> {
  const search = await openSearch(index);
  try {
    const { results } = await search.search(QUESTION);
    return results.map((r) => r.quote).join('\n');
  } finally {
    await search.close();
  }
}

describe('damaged index segments', () => {
  it('a truncated lexicon.bin stops nothing for good: `npm run ingest` reads its articles again', async () => {
    const { corpus, index, segment } = await builtIndex();
    const file = path.join(segment, 'lexicon.bin');
    await truncate(file, 64); // its header stays, the term list is cut: nothing can open it
    await assert.rejects(openSearch(index), IndexDamagedError, 'the index says it is damaged');
    const printed = await npmRunIngest(corpus, index);
    assert.match(printed, /repaired seg-[\w-]+: .*lexicon\.bin has \d+ bytes, \d+ were written/);
    assert.match(await answer(index), TRUE_TEXT);
  });

  it('a truncated passages.f32 is repaired by `npm run ingest`, and questions are answered again', async () => {
    const { corpus, index, segment } = await builtIndex();
    const file = path.join(segment, 'passages.f32');
    await truncate(file, (await readFile(file)).length - 4096);
    await assert.rejects(openSearch(index), IndexDamagedError);
    assert.match(await npmRunIngest(corpus, index), /repaired seg-[\w-]+: .*passages\.f32 has \d+ bytes/);
    assert.match(await answer(index), TRUE_TEXT);
  });

  for (const backend of BACKENDS)
    it(`a changed byte in articles.bin is never quoted, and \`npm run ingest\` restores the true text (${backend})`, async () => {
      const { corpus, index, segment } = await builtIndex(backend);
      const file = path.join(segment, 'articles.bin');
      const bytes = await readFile(file);
      const at = bytes.indexOf('8,300 patients');
      assert.ok(at >= 0);
      bytes[at] = '9'.charCodeAt(0);
      await writeFile(file, bytes);
      const damaged = await answer(index);
      assert.doesNotMatch(damaged, /9,300/, 'text that fails its check is not shown');
      assert.match(
        await npmRunIngest(corpus, index, backend),
        /repaired seg-[\w-]+: .*articles\.bin does not match its checksum/,
      );
      assert.match(await answer(index), TRUE_TEXT);
    });

  it('an ingest without the byte-by-byte check (the bot’s) repairs a truncated file; its articles are not news', async () => {
    const { corpus, index, segment } = await builtIndex();
    const log = silentLogger();
    await truncate(path.join(segment, 'sentences.bin'), 64);
    const quick = await runIngest(corpus, index, 'use-static-128', { log });
    assert.equal(quick.summary.repaired?.length, 1);
    assert.equal(quick.summary.added, 0, 'articles read again are not news');
    assert.ok(quick.summary.updated > 0);
    assert.match(await answer(index), TRUE_TEXT);
  });
});
