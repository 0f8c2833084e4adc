import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startBot } from '../src/app.js';
import { loadBotConfig } from '../src/config.js';
import { offlineIndexDir, shippedModelFolders } from '../src/embedding/model-source.js';
import { HubUnreachableError } from '../src/errors.js';
import { silentLogger } from '../src/logger.js';
import { PROJECT_ROOT } from './helpers/models.js';
import { runNode } from './helpers/run-node.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/** The Hub at a closed port on 127.0.0.1: unreachable, as on a machine without internet. */
const NO_HUB = 'http://127.0.0.1:9';
const QUESTION = 'How many heart patients were treated for free?';

async function cleanEnv(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const work = await tempDir('clipdesk-offline-');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['EMBEDDING_MODEL', 'INDEX_DIR', 'CORPUS_DIR', 'MODEL_CACHE_DIR', 'LOG_LEVEL'])
    delete env[name];
  return {
    ...env,
    HF_ENDPOINT: NO_HUB,
    CORPUS_DIR: await copyOfShippedCorpus(),
    INDEX_DIR: path.join(work, 'index'),
    MODEL_CACHE_DIR: path.join(work, 'models'),
    ...extra,
  };
}

describe('offline: EMBEDDING_MODEL unset and the Hub unreachable', () => {
  it('the CLI answers with the shipped model, says so in one line, and keeps that index apart', async () => {
    const env = await cleanEnv();
    const run = await runNode('src/cli/ask.ts', ['--json', QUESTION], { env });
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { results: Array<{ quote: string; file: string }> };
    assert.match(answer.results[0]?.quote ?? '', /8,300 patients with congenital heart disease/);
    const notices = run.stderr.split('\n').filter((line) => /shipped offline model/.test(line));
    assert.equal(notices.length, 1, run.stderr);
    assert.match(notices[0] ?? '', /Hugging Face Hub cannot be reached.*test\/models\/use-static-128/);
    const defaultIndex = env.INDEX_DIR as string;
    assert.ok(existsSync(offlineIndexDir(defaultIndex)), 'the offline index has its own folder');
    // The start-up check creates the configured index folder; nothing is written into it.
    const left = existsSync(defaultIndex) ? readdirSync(defaultIndex) : [];
    assert.deepEqual(left, [], "the default model's index folder is left alone");
    // Again: the offline index is reused as it is (no "No index yet" build line).
    const again = await runNode('src/cli/ask.ts', ['--json', QUESTION], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /No index yet|rebuild/i);
  });

  it('a model asked for by name never falls back: the Hub error lists every shipped model folder', async () => {
    const env = await cleanEnv({ EMBEDDING_MODEL: 'Xenova/all-MiniLM-L6-v2' });
    const run = await runNode('src/cli/ask.ts', [QUESTION], { env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Could not load the embedding model "Xenova\/all-MiniLM-L6-v2"/);
    assert.doesNotMatch(run.stderr, /shipped offline model/);
    const folders = shippedModelFolders(PROJECT_ROOT);
    assert.ok(
      folders.includes('test/models/tiny-random-bert') && folders.includes('test/models/use-static-128'),
    );
    for (const folder of folders) assert.ok(run.stderr.includes(`EMBEDDING_MODEL=${folder}`), folder);
  });

  it('the bot never falls back silently: it stops with the Hub error', async () => {
    const env = await cleanEnv({ DISCORD_TOKEN: 'x'.repeat(20) });
    const config = loadBotConfig(env, PROJECT_ROOT);
    await assert.rejects(startBot({ config, log: silentLogger() }), (error: unknown) => {
      assert.ok(error instanceof HubUnreachableError);
      assert.match(error.message, /EMBEDDING_MODEL=test\/models\/use-static-128/);
      return true;
    });
  });
});
