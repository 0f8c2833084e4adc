import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chooseBenchModel, inBenchTerms } from '../bench/bench-model.js';
import { Embedder } from '../src/embedding/embedder.js';
import { UserFacingError } from '../src/errors.js';
import { tempDir } from './helpers/temp.js';

/** A project folder with test/models/tiny-random-bert, optionally beside ../shared/models/minilm-l6-random. */
async function layout(withShared: boolean): Promise<string> {
  const root = await tempDir();
  const project = path.join(root, 'project');
  await mkdir(path.join(project, 'test', 'models', 'tiny-random-bert'), { recursive: true });
  if (withShared) await mkdir(path.join(root, 'shared', 'models', 'minilm-l6-random'), { recursive: true });
  return project;
}

describe('bench model', () => {
  it('times ../shared/models/minilm-l6-random when it is there', async () => {
    const project = await layout(true);
    assert.deepEqual(chooseBenchModel({}, project), {
      model: path.resolve(project, '../shared/models/minilm-l6-random'),
      note: null,
    });
  });

  it('falls back to the test model outside that layout, with a note naming BENCH_MODEL', async () => {
    const project = await layout(false);
    const { model, note } = chooseBenchModel({}, project);
    assert.equal(model, path.join(project, 'test', 'models', 'tiny-random-bert'));
    assert.match(
      note ?? '',
      /minilm-l6-random not found: timing test\/models\/tiny-random-bert.*Set BENCH_MODEL/,
    );
  });

  it('takes BENCH_MODEL as given, and names it when it points to no folder', async () => {
    const project = await layout(false);
    const folder = path.join(project, 'test', 'models', 'tiny-random-bert');
    assert.deepEqual(chooseBenchModel({ BENCH_MODEL: 'test/models/tiny-random-bert' }, project), {
      model: folder,
      note: null,
    });
    assert.deepEqual(chooseBenchModel({ BENCH_MODEL: 'Xenova/all-MiniLM-L6-v2' }, project), {
      model: 'Xenova/all-MiniLM-L6-v2',
      note: null,
    });
    assert.throws(
      () => chooseBenchModel({ BENCH_MODEL: './models/missing' }, project),
      /^Error: BENCH_MODEL points to/,
    );
  });

  it('names BENCH_MODEL, not the app variables, in load errors', async () => {
    const hub = new UserFacingError(
      'Could not load the embedding model "x/y" from the Hugging Face Hub (offline). Without internet access, ' +
        'set EMBEDDING_MODEL to a local model folder (transformers.js layout), or copy a MODEL_CACHE_DIR that already holds it.',
    );
    const message = inBenchTerms(hub).message;
    assert.match(message, /set BENCH_MODEL to a local model folder/);
    assert.doesNotMatch(message, /EMBEDDING_MODEL|MODEL_CACHE_DIR/);

    const broken = await tempDir();
    const error = await Embedder.load({ model: broken, dtype: 'q8', cacheDir: broken }).catch(inBenchTerms);
    assert.ok(error instanceof Error);
    assert.doesNotMatch(error.message, /EMBEDDING_MODEL|MODEL_CACHE_DIR/);
  });
});
