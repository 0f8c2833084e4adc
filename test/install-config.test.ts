import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './helpers/models.js';

describe('npm install settings', () => {
  it("keeps onnxruntime-node's install script from downloading CUDA files on every npm version", async () => {
    const pkg = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    // npm 11's install-script policy denies the script outright.
    assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
    // npm 10 (Node 22) ignores allowScripts and runs it; the script itself honours this key and exits early.
    const npmrc = await readFile(path.join(PROJECT_ROOT, '.npmrc'), 'utf8');
    assert.match(npmrc, /^onnxruntime-node-install=skip$/m);
  });
});
