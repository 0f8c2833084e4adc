import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from './helpers/models.js';

const readJson = async (file: string) =>
  JSON.parse(await readFile(path.join(PROJECT_ROOT, file), 'utf8')) as {
    scripts: Record<string, string>;
    engines: { node: string };
    allowScripts?: Record<string, boolean>;
  };

describe('npm install settings', () => {
  it('turns install scripts off in .npmrc with a key npm 10 and 11 both know (no CUDA download, no warning)', async () => {
    const npmrc = await readFile(path.join(PROJECT_ROOT, '.npmrc'), 'utf8');
    const keys = npmrc
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('=')[0]?.trim());
    // npm warns on every command about keys it does not know (onnxruntime-node-install, say).
    assert.deepEqual(keys, ['ignore-scripts']);
    assert.match(npmrc, /^ignore-scripts=true$/m);
    // npm 11 reads allowScripts as well: the same answer there.
    assert.equal((await readJson('package.json')).allowScripts?.['onnxruntime-node'], false);
  });

  it("loses nothing: onnxruntime-node's CPU runtime for this platform ships inside its npm package", () => {
    const bin = path.join(PROJECT_ROOT, 'node_modules', 'onnxruntime-node', 'bin');
    const napi = readdirSync(bin).filter((name) => name.startsWith('napi-v'));
    const found = napi.some((v) =>
      existsSync(path.join(bin, v, process.platform, process.arch, 'onnxruntime_binding.node')),
    );
    assert.ok(found, `no onnxruntime_binding.node for ${process.platform}/${process.arch} under ${bin}`);
  });

  it('builds dist/ on first use, since no install script does: every script that runs dist/ goes through run-built', async () => {
    const { scripts } = await readJson('package.json');
    assert.equal(scripts.prepare, undefined);
    for (const name of ['start', 'ask', 'ingest', 'sources', 'feeds', 'deploy-commands']) {
      assert.match(scripts[name] ?? '', /^node scripts\/run-built\.mjs src\/.+\.js$/, name);
    }
    for (const [name, command] of Object.entries(scripts)) assert.doesNotMatch(command, /node dist\//, name);
  });

  it('names the supported Node versions (22 and 24 LTS) in engines', async () => {
    assert.equal((await readJson('package.json')).engines.node, '^22.11.0 || ^24.0.0');
  });
});
