import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { env } from '@huggingface/transformers';
import { Embedder } from '../src/embedding/embedder.js';
import {
  hubModelFailure,
  looksLikeFolderPath,
  modelFolderProblem,
  resolveModelSource,
} from '../src/embedding/model-source.js';
import { UserFacingError } from '../src/errors.js';
import { PROJECT_ROOT } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

describe('EMBEDDING_MODEL: Hub id or folder', () => {
  it('reads a value that can only be a path as a path, and a Hub-shaped one as a Hub id', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'models'));
    const paths = [
      'test/models/use-static128', // two slashes: a Hub id has at most one
      './use-static-128',
      '../shared/models/x',
      '/opt/models/x',
      'models/x', // its first part is a folder here
      'use-static-128/', // a trailing separator
      'models\\x',
      '~/models/x',
      'my model',
    ];
    for (const value of paths) assert.equal(looksLikeFolderPath(value, cwd), true, value);
    for (const value of [
      'Xenova/all-MiniLM-L6-v2',
      'bert-base-uncased',
      'sentence-transformers/all-mpnet-base-v2',
    ])
      assert.equal(looksLikeFolderPath(value, cwd), false, value);
  });

  it('refuses a mistyped model path with "no such folder" and its absolute path, naming the shipped folders', () => {
    assert.throws(
      () => resolveModelSource('test/models/use-static128', 'q8', PROJECT_ROOT),
      (error: unknown) => {
        assert.ok(error instanceof UserFacingError);
        assert.match(
          error.message,
          new RegExp(
            `^EMBEDDING_MODEL: no such folder: ${path.join(PROJECT_ROOT, 'test/models/use-static128')}; model folders here: EMBEDDING_MODEL=test/models/use-static-128`,
          ),
        );
        return true;
      },
    );
  });

  it('says "not a folder" for a file, and nothing for a Hub id or an existing folder', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'model.onnx'), '');
    assert.match(modelFolderProblem('./model.onnx', cwd) ?? '', /^not a folder: /);
    assert.equal(modelFolderProblem('Xenova/all-MiniLM-L6-v2', cwd), null);
    assert.equal(modelFolderProblem('test/models/use-static-128', PROJECT_ROOT), null);
  });

  it('tells how to work offline when a Hub id cannot be loaded, naming the shipped folders', async () => {
    const message = hubModelFailure('Xenova/all-MiniLM-L6-v2', 'fetch failed', PROJECT_ROOT);
    assert.match(
      message,
      /^Could not load the embedding model "Xenova\/all-MiniLM-L6-v2" from the Hugging Face Hub \(fetch failed\)/,
    );
    assert.match(message, /for example EMBEDDING_MODEL=test\/models\/use-static-128/);
    if (existsSync(path.join(PROJECT_ROOT, '..', 'shared', 'models', 'use-static-128')))
      assert.match(message, /or EMBEDDING_MODEL=\.\.\/shared\/models\/use-static-128/);
    const elsewhere = hubModelFailure('Xenova/all-MiniLM-L6-v2', 'fetch failed', await tempDir());
    assert.doesNotMatch(elsewhere, /test\/models/, 'only folders that exist are named');
  });

  it('loads a Hub id that cannot be reached into that message (the Hub is 127.0.0.1 here, a closed port)', async () => {
    const saved = env.remoteHost;
    env.remoteHost = 'http://127.0.0.1:9/';
    try {
      await assert.rejects(
        Embedder.load({ model: 'Xenova/all-MiniLM-L6-v2', dtype: 'q8', cacheDir: await tempDir() }),
        (error: unknown) => {
          assert.ok(error instanceof UserFacingError);
          assert.match(
            error.message,
            /^Could not load the embedding model "Xenova\/all-MiniLM-L6-v2" from the Hugging Face Hub/,
          );
          assert.match(error.message, /EMBEDDING_MODEL=test\/models\/use-static-128/);
          return true;
        },
      );
    } finally {
      env.remoteHost = saved;
    }
  });
});
