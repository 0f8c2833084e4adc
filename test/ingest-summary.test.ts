import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { formatSummary } from '../src/ingest/progress.js';
import { silentLogger } from '../src/logger.js';
import { readManifest } from '../src/store/manifest.js';
import { testEmbedder } from './helpers/models.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

describe('ingest summary', () => {
  it('times the whole ingest, the write phase included', async () => {
    const corpus = await copyOfShippedCorpus();
    const index = path.join(await tempDir(), 'index');
    const embedder = await testEmbedder('tiny-random-bert');
    await ingest({
      corpusDir: corpus,
      indexDir: index,
      maxFileBytes: 1 << 20,
      embedder,
      log: silentLogger(),
    });
    // A removal: nothing to embed, so the time after the 'embedded' step is the writing of the change.
    await rm(path.join(corpus, '004_1f6cc5111f6a3622.txt'));
    let clock = Date.parse('2026-01-05T10:00:00Z');
    const result = await ingest({
      corpusDir: corpus,
      indexDir: index,
      maxFileBytes: 1 << 20,
      embedder,
      log: silentLogger(),
      now: () => new Date(clock),
      // The injected clock stands for the time the write phase takes (it starts after 'embedded').
      checkpoint: (step) => {
        if (step === 'embedded') clock += 7_500;
      },
    });
    assert.equal(result.summary.removed, 1);
    assert.equal(result.summary.embeddedPassages, 0);
    assert.equal(result.summary.seconds, 7.5);
    assert.match(formatSummary(result), /^Ingest finished in 7\.5 s: 4 articles/);
    const read = await readManifest(index);
    assert.equal(read.kind === 'ok' && read.manifest.lastIngest.seconds, 7.5, '/status shows the same time');
  });

  it('lists the files read with a note, such as a legacy encoding', async () => {
    const corpus = await tempDir();
    await writeFile(path.join(corpus, 'plain.txt'), 'Plain\n\nA UTF-8 article.\n');
    await writeFile(
      path.join(corpus, 'legacy.txt'),
      Buffer.from('Caf\xe9 opens\n\nA Latin-1 article, \xa35.\n', 'latin1'),
    );
    const result = await ingest({
      corpusDir: corpus,
      indexDir: path.join(await tempDir(), 'index'),
      maxFileBytes: 1 << 20,
      embedder: await testEmbedder('tiny-random-bert'),
      log: silentLogger(),
    });
    assert.equal(result.summary.added, 2);
    assert.deepEqual(result.summary.notes, [
      { source: 'legacy.txt', note: 'decoded as windows-1252 (Latin-1), not UTF-8' },
    ]);
    assert.match(
      formatSummary(result),
      /\n {2}note legacy\.txt: decoded as windows-1252 \(Latin-1\), not UTF-8\n/,
    );
  });
});
