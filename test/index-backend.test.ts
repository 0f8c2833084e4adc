import assert from 'node:assert/strict';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { loadCoreConfig } from '../src/config.js';
import { SearchService } from '../src/search/search-service.js';
import { readManifest } from '../src/store/manifest.js';
import { runIngest } from './helpers/index.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/** A logger whose warnings the test can read. */
function recordingLogger(): { log: pino.Logger; warnings: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'warn' }, sink);
  return {
    log,
    warnings: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
  };
}

describe('INDEX_BACKEND', () => {
  it('is read from the settings, vectra by default, and anything else is refused by name', () => {
    assert.equal(loadCoreConfig({}).indexBackend, 'vectra');
    assert.equal(loadCoreConfig({ INDEX_BACKEND: 'lancedb' }).indexBackend, 'lancedb');
    assert.throws(() => loadCoreConfig({ INDEX_BACKEND: 'faiss' }), /INDEX_BACKEND/);
  });

  it('rebuilds the index for the backend asked for when it changes, keeping every article', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    await runIngest(corpus, index, 'tiny-random-bert', { backend: 'vectra' });
    const first = await readManifest(index);
    assert.ok(first.kind === 'ok' && first.manifest.backend === 'vectra');
    const { summary } = await runIngest(corpus, index, 'tiny-random-bert', { backend: 'lancedb' });
    const second = await readManifest(index);
    assert.ok(second.kind === 'ok');
    assert.equal(second.manifest.backend, 'lancedb');
    assert.equal(second.manifest.counts.articles, first.manifest.counts.articles);
    assert.equal(summary.articles, first.manifest.counts.articles);
  });

  it('warns at open when a vectra index passes the hand-over point, naming INDEX_BACKEND=lancedb; not below it, nor on lancedb', async () => {
    const corpus = await copyOfShippedCorpus();
    const embedder = await testEmbedder('tiny-random-bert');
    for (const backend of ['vectra', 'lancedb'] as const) {
      const index = path.join(await tempDir(), 'index');
      await runIngest(corpus, index, 'tiny-random-bert', { backend });
      const past = recordingLogger();
      await (
        await SearchService.open({ indexDir: index, embedder, log: past.log, handoverPassages: 10 })
      ).close();
      const below = recordingLogger();
      await (await SearchService.open({ indexDir: index, embedder, log: below.log })).close();
      assert.deepEqual(below.warnings(), [], backend);
      if (backend === 'vectra') {
        assert.equal(past.warnings().length, 1);
        assert.match(
          past.warnings()[0] ?? '',
          /^\d+ articles \/ \d+ passages: past 10 passages .*consider INDEX_BACKEND=lancedb$/,
        );
      } else assert.deepEqual(past.warnings(), []);
    }
  });
});
