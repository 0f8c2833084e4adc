import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pipeline } from '@huggingface/transformers';
import { Embedder } from '../src/embedding/embedder.js';
import { resolveModelSource } from '../src/embedding/model-source.js';
import { UserFacingError } from '../src/errors.js';
import { dot } from '../src/vectors/vectors.js';
import { PROJECT_ROOT, testEmbedder, testModelPath } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

describe('embedder', () => {
  it('gives the same vectors as the transformers.js feature-extraction pipeline (mean pooling, normalised)', async () => {
    const embedder = await testEmbedder('tiny-random-bert');
    const texts = [
      'Wang Huning urged solid assistance for Xizang.',
      'Short',
      'A longer text about the paired-up assistance mechanism initiated in 1994.',
    ];
    assertSameAsPipeline(await embedder.embedTexts(texts), await pipelineVectors(texts));
    assert.equal(embedder.inputsEmbedded.onWorkers, 0, 'a few texts are embedded on this thread');
  });

  it("gives the pipeline's vectors on the worker threads too, and the same piece vectors as this thread", async () => {
    const embedder = await Embedder.load({
      model: testModelPath('tiny-random-bert'),
      dtype: 'fp32',
      cacheDir: '/nonexistent-cache',
      workers: 2,
    });
    const here = await testEmbedder('tiny-random-bert');
    try {
      const texts = manyTexts(embedder.batching.poolFrom + 6);
      await embedder.startWorkers();
      assertSameAsPipeline(await embedder.embedTexts(texts), await pipelineVectors(texts));
      assert.deepEqual(
        embedder.inputsEmbedded,
        { here: 1, onWorkers: texts.length },
        'the load probe ran here',
      );

      const inputs = texts.map((t) => t.split(/(?<=\.) /).map((sentence) => embedder.tokenize(sentence)));
      const onWorkers = await embedder.embedPieces(inputs);
      const onThisThread = await here.embedPieces(inputs);
      onWorkers.forEach((result, i) => {
        const reference = onThisThread[i];
        assert.ok(reference && result.pieces.length === reference.pieces.length && result.pieces.length > 0);
        result.pieces.forEach((piece, k) => {
          assertClose(piece, reference.pieces[k] as Float32Array, 1e-6, `piece ${k} of input ${i}`);
        });
      });
    } finally {
      await embedder.dispose();
    }
  });

  it('embeds on this thread, with the same vectors, when the workers cannot load the model', async () => {
    const folder = path.join(await tempDir(), 'model');
    await cp(testModelPath('tiny-random-bert'), folder, { recursive: true });
    const notes: string[] = [];
    const embedder = await Embedder.load({
      model: folder,
      dtype: 'fp32',
      cacheDir: folder,
      workers: 1,
      onNote: (n) => notes.push(n),
    });
    try {
      // Loaded here already; the workers, which load it when started, find it gone.
      await rm(path.join(folder, 'onnx'), { recursive: true });
      await embedder.startWorkers();
      assert.equal(notes.length, 1);
      assert.match(
        notes[0] ?? '',
        /^an embedding worker could not load the model: .*: embedding on the main thread instead$/,
      );
      const texts = manyTexts(embedder.batching.poolFrom);
      assertSameAsPipeline(await embedder.embedTexts(texts), await pipelineVectors(texts));
      assert.deepEqual(embedder.inputsEmbedded, { here: texts.length + 1, onWorkers: 0 });
      assert.equal(notes.length, 1, 'the workers are not tried again');
    } finally {
      await embedder.dispose();
    }
  });

  it('batches inputs for a model whose vectors do not depend on their batch', async () => {
    const embedder = await testEmbedder('tiny-random-bert');
    assert.ok(embedder.batching.maxBatch > 1);
  });

  it('lets the process exit while its workers are idle, without dispose', async () => {
    const dir = await tempDir();
    const script = path.join(dir, 'forgotten-embedder.mts');
    const embedderUrl = new URL('src/embedding/embedder.ts', `file://${PROJECT_ROOT}/`).href;
    await writeFile(
      script,
      `import { Embedder } from ${JSON.stringify(embedderUrl)};
const embedder = await Embedder.load({ model: ${JSON.stringify(testModelPath('tiny-random-bert'))}, dtype: 'fp32', cacheDir: ${JSON.stringify(dir)}, workers: 2 });
await embedder.startWorkers();
const texts = Array.from({ length: ${80} }, (_, i) => 'Text number ' + i + '.');
await embedder.embedTexts(texts);
console.log('embedded on workers:', embedder.inputsEmbedded.onWorkers);
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    // A generous bound: the child only fails it by hanging.
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? signal)));
    clearTimeout(guard);
    assert.equal(code, 0, output);
    assert.match(output, /embedded on workers: 80/);
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

function manyTexts(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `Report ${i} on the harbour. ${'It reopened after repairs. '.repeat(i % 5)}Boats returned on day ${i}.`,
  );
}

/** The feature-extraction pipeline, one text per call, as the baseline of `npm run bench` runs it. */
async function pipelineVectors(texts: string[]): Promise<number[][]> {
  const extractor = await pipeline('feature-extraction', testModelPath('tiny-random-bert'), {
    dtype: 'fp32',
    local_files_only: true,
  });
  const vectors: number[][] = [];
  for (const text of texts) {
    const output = await extractor(text, { pooling: 'mean', normalize: true });
    vectors.push(Array.from(output.data as Float32Array));
  }
  await extractor.dispose();
  return vectors;
}

function assertSameAsPipeline(ours: Float32Array[], theirs: ArrayLike<number>[]): void {
  assert.equal(ours.length, theirs.length);
  ours.forEach((vector, i) => {
    assertClose(vector, theirs[i] as ArrayLike<number>, 1e-5, `text ${i}`);
    assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-5, 'unit length');
  });
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let j = 0; j < a.length; j++) {
    assert.ok(Math.abs((a[j] as number) - (b[j] as number)) < tolerance, `${what}: component ${j}`);
  }
}
