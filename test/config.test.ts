import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCoreConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

describe('core config', () => {
  it('has safe defaults for everything, paths resolved from the project root', () => {
    const config = loadCoreConfig({}, '/srv/clipdesk');
    assert.deepEqual(config, {
      corpusDir: '/srv/clipdesk/corpus',
      indexDir: '/srv/clipdesk/.clipdesk/index',
      indexBackend: 'vectra',
      embeddingModel: 'Xenova/all-MiniLM-L6-v2',
      embeddingDtype: 'q8',
      modelCacheDir: '/srv/clipdesk/.clipdesk/models',
      maxFileBytes: 20 * 1024 * 1024,
      logLevel: 'info',
      logPretty: false,
    });
    assert.ok(Object.isFrozen(config));
  });

  it('reads every variable, treating blank as unset', () => {
    const config = loadCoreConfig(
      {
        CORPUS_DIR: '/data/articles',
        INDEX_DIR: ' ',
        EMBEDDING_DTYPE: 'FP32',
        CORPUS_MAX_FILE_MB: '1.5',
        LOG_LEVEL: 'Debug',
        LOG_PRETTY: '1',
      },
      '/srv',
    );
    assert.equal(config.corpusDir, '/data/articles');
    assert.equal(config.indexDir, '/srv/.clipdesk/index');
    assert.equal(config.embeddingDtype, 'fp32');
    assert.equal(config.maxFileBytes, 1572864);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.logPretty, true);
  });

  it('names every bad variable at once, one line each', () => {
    assert.throws(
      () => loadCoreConfig({ EMBEDDING_DTYPE: 'int4', CORPUS_MAX_FILE_MB: '-3', LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'EMBEDDING_DTYPE: must be q8 or fp32',
          'CORPUS_MAX_FILE_MB: must be a positive number up to 1024 (got "-3")',
          'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        ]);
        return true;
      },
    );
  });
});

describe('bot config', () => {
  it('needs only the token; everything else has a default', async () => {
    const { loadBotConfig } = await import('../src/config.js');
    const config = loadBotConfig({ DISCORD_TOKEN: 'abc.def.ghi' }, '/srv/clipdesk');
    assert.equal(config.discordToken, 'abc.def.ghi');
    assert.equal(config.discordApiUrl, 'https://discord.com/api');
    assert.equal(config.discordClientId, null);
    assert.equal(config.dataDir, '/srv/clipdesk/.clipdesk/data');
    assert.equal(config.askPrivateDefault, false);
    assert.equal(config.dmQuestionsPerMinute, 5);
    assert.equal(config.digestTimeZone, 'UTC');
    assert.equal(config.digestLookbackHours, 24);
    assert.equal(config.corpusDir, '/srv/clipdesk/corpus');
  });

  it('reports core and Discord problems together, one line each, never echoing the token', async () => {
    const { loadBotConfig } = await import('../src/config.js');
    assert.throws(
      () =>
        loadBotConfig({
          DISCORD_CLIENT_ID: 'my-bot',
          DISCORD_API_URL: 'ftp://example.org',
          ASK_PRIVATE_DEFAULT: 'maybe',
          DIGEST_TIMEZONE: 'Mars/Olympus',
          EMBEDDING_DTYPE: 'int4',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'EMBEDDING_DTYPE: must be q8 or fp32',
          'DISCORD_TOKEN: is required: the bot token from the Discord developer portal (Bot > Token)',
          'DISCORD_CLIENT_ID: must be a Discord id (17 to 20 digits); got "my-bot"',
          'DISCORD_API_URL: must be an http(s) URL (got "ftp://example.org")',
          'ASK_PRIVATE_DEFAULT: must be true or false (got "maybe")',
          'DIGEST_TIMEZONE: must be an IANA time zone such as Europe/Paris (got "Mars/Olympus")',
        ]);
        return true;
      },
    );
  });
});
