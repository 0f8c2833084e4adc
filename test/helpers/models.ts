import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Embedder } from '../../src/embedding/embedder.js';

export const TEST_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PROJECT_ROOT = path.resolve(TEST_ROOT, '..');

export type TestModel = 'tiny-random-bert' | 'use-static-128';

export function testModelPath(name: TestModel): string {
  return path.join(TEST_ROOT, 'models', name);
}

const loaded = new Map<TestModel, Promise<Embedder>>();

/** One embedder per model per test process (loading is the slow part). */
export function testEmbedder(name: TestModel): Promise<Embedder> {
  let embedder = loaded.get(name);
  if (!embedder) {
    embedder = Embedder.load({
      model: testModelPath(name),
      dtype: 'q8',
      cacheDir: path.join(TEST_ROOT, '.model-cache'),
    });
    loaded.set(name, embedder);
  }
  return embedder;
}
