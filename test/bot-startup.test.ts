import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startDiscordStandIn } from '../playground/discord-standin/index.js';
import { testModelPath } from './helpers/models.js';
import { type NodeRun, runNode } from './helpers/run-node.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

/** Starts the bot as `npm run dev` does and waits for it to exit (killed after 60 s: a hang fails). */
function runBot(env: NodeJS.ProcessEnv): Promise<NodeRun> {
  return runNode(path.join('src', 'index.ts'), [], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}

describe('bot start-up problems', () => {
  it('says in a plain sentence on stderr that Discord refused the token, besides the JSON log line', async () => {
    const discord = await startDiscordStandIn();
    try {
      const work = await tempDir();
      const { code, stdout, stderr } = await runBot({
        DISCORD_TOKEN: 'not-the-token',
        DISCORD_API_URL: discord.restUrl,
        CORPUS_DIR: await copyOfShippedCorpus(),
        INDEX_DIR: path.join(work, 'index'),
        DATA_DIR: path.join(work, 'data'),
        EMBEDDING_MODEL: testModelPath('tiny-random-bert'),
      });
      assert.equal(code, 1);
      assert.equal(
        stderr,
        'Clipdesk cannot start: Discord refused the bot token (DISCORD_TOKEN). Copy it again from the Discord developer portal (your application > Bot > Reset Token) into .env, with nothing around it.\n',
      );
      const fatal = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .find((line) => line.level === 60);
      assert.equal(fatal?.msg, 'start-up failed');
      assert.doesNotMatch(stdout + stderr, /not-the-token/, 'the token is never printed');
    } finally {
      await discord.close();
    }
  });

  it('says in a plain sentence that Discord cannot be reached (getaddrinfo ENOTFOUND), like a refused token', async () => {
    const work = await tempDir();
    const { code, stdout, stderr } = await runBot({
      DISCORD_TOKEN: 'abc.def.ghi',
      // .invalid never resolves (RFC 2606): what a machine without DNS or internet sees for discord.com.
      DISCORD_API_URL: 'http://discord-unreachable.invalid/api',
      CORPUS_DIR: await copyOfShippedCorpus(),
      INDEX_DIR: path.join(work, 'index'),
      DATA_DIR: path.join(work, 'data'),
      EMBEDDING_MODEL: testModelPath('tiny-random-bert'),
    });
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^Clipdesk cannot start: Discord could not be reached at discord-unreachable\.invalid \((getaddrinfo )?E[A-Z_]+[^)]*\)\. Check this machine's internet connection, DNS and proxy \(and DISCORD_API_URL if you set it\), then start the bot again\.\n$/,
    );
    assert.match(stdout, /"msg":"start-up failed"/, 'the JSON log line stays');
  });

  it('names a missing model folder, a missing CORPUS_DIR and an unusable INDEX_DIR, one line each, even with LOG_LEVEL=silent', async () => {
    const { code, stdout, stderr } = await runBot({
      DISCORD_TOKEN: 'abc.def.ghi',
      LOG_LEVEL: 'silent',
      EMBEDDING_MODEL: 'test/models/use-static128',
      CORPUS_DIR: 'no-such-corpus',
      INDEX_DIR: '/proc/clipdesk-test/index',
    });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'Clipdesk cannot start. Fix these settings (see .env.example):');
    assert.match(lines[1] ?? '', /^ {2}EMBEDDING_MODEL: no such folder: \/.*\/test\/models\/use-static128;/);
    assert.match(lines[2] ?? '', /^ {2}CORPUS_DIR: no such folder: \/.*\/no-such-corpus /);
    assert.match(lines[3] ?? '', /^ {2}INDEX_DIR: cannot create the folder \/proc\/clipdesk-test\/index /);
    assert.equal(lines.length, 4);
  });
});
