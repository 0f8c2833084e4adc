import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pipeline } from '@huggingface/transformers';
import { UserFacingError } from '../src/errors.js';
import { Embedder } from '../src/search/embedder.js';
import { resolveModelSource } from '../src/search/model-source.js';
import { dot } from '../src/search/vectors.js';
import { testEmbedder, testModelPath } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

describe('embedder', () => {
  it('gives the same vectors as the transformers.js feature-extraction pipeline (mean pooling, normalised)', async () => {
    const embedder = await testEmbedder('tiny-random-bert');
    const texts = [
      'Wang Huning urged solid assistance for Xizang.',
      'Short',
      'A longer text about the paired-up assistance mechanism initiated in 1994.',
    ];
    const ours = await embedder.embedTexts(texts);
    const extractor = await pipeline('feature-extraction', testModelPath('tiny-random-bert'), {
      dtype: 'fp32',
      local_files_only: true,
    });
    const theirs = (await extractor(texts, { pooling: 'mean', normalize: true })).tolist() as number[][];
    ours.forEach((vector, i) => {
      const reference = theirs[i] as number[];
      assert.equal(vector.length, reference.length);
      for (const [j, x] of vector.entries()) {
        assert.ok(Math.abs(x - (reference[j] as number)) < 1e-5, `component ${j} of text ${i}`);
      }
      assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-5, 'unit length');
    });
  });

  it('returns results in input order whatever the batching by length', async () => {
    const embedder = await testEmbedder('tiny-random-bert');
    const texts = Array.from(
      { length: 40 },
      (_, i) => `Sentence number ${i} ${'and more words '.repeat(i % 7)}`,
    );
    const together = await embedder.embedTexts(texts);
    for (const i of [0, 13, 39]) {
      const [alone] = await embedder.embedTexts([texts[i] as string]);
      assert.ok(alone);
      assert.ok(dot(alone, together[i] as Float32Array) > 0.99999, `text ${i}`);
    }
  });

  it('gives each piece of an input a vector pooled over its own tokens', async () => {
    const embedder = await testEmbedder('use-static-128');
    // A static model has no context, so a piece's vector must equal the text's own content vector.
    const a = 'Solar panels heat every household.';
    const b = 'Winters are freezingly cold.';
    const [passage] = await embedder.embedPieces([[embedder.tokenize(a), embedder.tokenize(b)]]);
    const { content } = await embedder.embedQuery(b);
    const piece = passage?.pieces[1] as Float32Array;
    const norm = Math.sqrt(dot(piece, piece));
    assert.ok(dot(piece, content) / norm > 0.9999);
  });

  it('loads a local folder offline, falling back to fp32 when it has no quantized weights', async () => {
    const notes: string[] = [];
    const embedder = await Embedder.load({
      model: testModelPath('tiny-random-bert'),
      dtype: 'q8',
      cacheDir: '/nonexistent-cache',
      onNote: (n) => notes.push(n),
    });
    assert.equal(embedder.info.dtype, 'fp32');
    assert.equal(embedder.info.dimension, 32);
    assert.match(notes[0] ?? '', /using fp32/);
    await embedder.dispose();
  });

  it('says what is missing when a model folder cannot be loaded', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'config.json'), '{"model_type": "bert"}');
    await assert.rejects(Embedder.load({ model: dir, dtype: 'q8', cacheDir: dir }), (error: Error) => {
      assert.ok(error instanceof UserFacingError);
      assert.match(
        error.message,
        /^Could not load the embedding model folder .* It needs config\.json, tokenizer\.json/,
      );
      return true;
    });
  });

  it('treats a name that is not a folder as a Hub id, and a missing path as a mistake', () => {
    assert.deepEqual(resolveModelSource('Xenova/all-MiniLM-L6-v2', 'q8'), {
      modelId: 'Xenova/all-MiniLM-L6-v2',
      localRoot: null,
      dtype: 'q8',
      note: null,
    });
    assert.throws(() => resolveModelSource('./models/missing', 'q8'), /no such folder/);
  });
});
