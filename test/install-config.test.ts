import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './helpers/models.js';

describe('npm install settings', () => {
  it("denies onnxruntime-node's install script (its only job on Linux is a CUDA download) without a custom .npmrc key", async () => {
    const pkg = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
    // npm warns on every command about keys it does not know, such as onnxruntime-node-install.
    const npmrc = path.join(PROJECT_ROOT, '.npmrc');
    if (existsSync(npmrc)) assert.doesNotMatch(await readFile(npmrc, 'utf8'), /onnxruntime/);
  });
});
