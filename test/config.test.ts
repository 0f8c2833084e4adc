import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'dotenv';
import { loadBotConfig, loadCoreConfig, settingNames } from '../src/config.js';
import { SUPPORTED_EXTENSIONS } from '../src/corpus/parse-bytes.js';
import { ConfigError } from '../src/errors.js';
import { PROJECT_ROOT } from './helpers/models.js';

describe('core config', () => {
  it('has safe defaults for everything, paths resolved from the project root', () => {
    const config = loadCoreConfig({}, '/srv/clipdesk');
    assert.deepEqual(config, {
      corpusDir: '/srv/clipdesk/corpus',
      indexDir: '/srv/clipdesk/.clipdesk/index',
      dataDir: '/srv/clipdesk/.clipdesk/data',
      indexBackend: 'vectra',
      embeddingModel: 'Xenova/all-MiniLM-L6-v2',
      embeddingDtype: 'q8',
      modelCacheDir: '/srv/clipdesk/.clipdesk/models',
      hubUrl: null,
      maxFileBytes: 20 * 1024 * 1024,
      logLevel: 'info',
      logPretty: false,
      relevanceParams: null,
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
          'CORPUS_MAX_FILE_MB: must be a number from 0.1 to 1024, written in plain digits (got "-3")',
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

describe('number settings', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadBotConfig({ DISCORD_TOKEN: 't', ...env });
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.problems;
    }
  };

  it('accepts only plain decimal numbers: no hex, exponents, signs or Infinity', () => {
    for (const value of ['0x10', '1e1', '+5', '5.', '.5', 'Infinity', '1_0', '2 0']) {
      assert.match(
        problemsOf({ CORPUS_MAX_FILE_MB: value })[0] ?? '',
        /^CORPUS_MAX_FILE_MB: must be a number from 0\.1 to 1024, written in plain digits/,
        value,
      );
    }
    assert.equal(loadCoreConfig({ CORPUS_MAX_FILE_MB: '0.5' }).maxFileBytes, 524288);
    assert.equal(loadCoreConfig({ CORPUS_MAX_FILE_MB: ' 16 ' }).maxFileBytes, 16 * 1024 * 1024);
  });

  it('refuses a file limit so small that every article would be too large', () => {
    assert.deepEqual(problemsOf({ CORPUS_MAX_FILE_MB: '1e-9' }), [
      'CORPUS_MAX_FILE_MB: must be a number from 0.1 to 1024, written in plain digits (got "1e-9")',
    ]);
    assert.deepEqual(problemsOf({ CORPUS_MAX_FILE_MB: '0.05' }), [
      'CORPUS_MAX_FILE_MB: must be a number from 0.1 to 1024, written in plain digits (got "0.05")',
    ]);
    assert.deepEqual(problemsOf({ CORPUS_MAX_FILE_MB: '0.1' }), []);
  });

  it('range-checks every whole-number setting, naming its range', () => {
    assert.deepEqual(
      problemsOf({
        DM_QUESTIONS_PER_MINUTE: '0x10',
        DIGEST_LOOKBACK_HOURS: '0',
        DIGEST_MAX_FAILURES: '2.5',
      }),
      [
        'DM_QUESTIONS_PER_MINUTE: must be a whole number from 1 to 600, written in plain digits (got "0x10")',
        'DIGEST_LOOKBACK_HOURS: must be a whole number from 1 to 8760, written in plain digits (got "0")',
        'DIGEST_MAX_FAILURES: must be a whole number from 1 to 100, written in plain digits (got "2.5")',
      ],
    );
    assert.deepEqual(problemsOf({ DIGEST_LOOKBACK_HOURS: '8761' }).length, 1);
    assert.equal(
      loadBotConfig({ DISCORD_TOKEN: 't', DM_QUESTIONS_PER_MINUTE: '600' }).dmQuestionsPerMinute,
      600,
    );
  });
});

describe('.env.example', () => {
  const read = async () => readFile(path.join(PROJECT_ROOT, '.env.example'), 'utf8');

  it('is safe to copy: as .env it gives the same settings as an empty environment', async () => {
    const copied = parse(await read());
    // What stays uncommented is only what a person must provide, and it is empty.
    assert.deepEqual(
      Object.entries(copied).filter(([, value]) => value !== ''),
      [],
      'no value is pinned by the example',
    );
    assert.deepEqual(loadCoreConfig(copied, '/srv/clipdesk'), loadCoreConfig({}, '/srv/clipdesk'));
    assert.deepEqual(
      loadBotConfig({ ...copied, DISCORD_TOKEN: 'abc.def.ghi' }, '/srv/clipdesk'),
      loadBotConfig({ DISCORD_TOKEN: 'abc.def.ghi' }, '/srv/clipdesk'),
    );
  });

  it("CORPUS_DIR's comment names every format the corpus reader takes, and how to drop the sample articles", async () => {
    const text = await read();
    const block = text.slice(0, text.indexOf('# CORPUS_DIR='));
    const comment = block.slice(block.lastIndexOf('\n\n'));
    for (const ext of SUPPORTED_EXTENSIONS) assert.match(comment, new RegExp(`\\${ext}\\b`), ext);
    assert.match(comment, /sample articles/);
  });

  it('the README says how to remove the five sample articles, with a command that matches exactly them', async () => {
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const command = /`rm (corpus\/[^`]+)`/.exec(readme.slice(readme.indexOf('five sample articles')))?.[1];
    assert.ok(command, 'a rm command after "five sample articles"');
    const pattern = new RegExp(`^${command.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
    const files = (await readdir(path.join(PROJECT_ROOT, 'corpus'))).map((f) => `corpus/${f}`);
    assert.equal(files.filter((f) => pattern.test(f)).length, 5);
  });

  it('shows every setting, and its commented-out values are the real defaults', async () => {
    const text = await read();
    // `# NAME=value` lines, uncommented, are what the example documents as defaults.
    const uncommented = parse(
      text
        .split('\n')
        .filter((line) => /^# [A-Z][A-Z0-9_]*=/.test(line))
        .map((line) => line.slice(2))
        .join('\n'),
    );
    const names = new Set([...Object.keys(parse(text)), ...Object.keys(uncommented)]);
    // Every variable the settings read, listed from the schemas themselves, is in the example and in the
    // README's configuration table.
    const readme = await readFile(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    assert.ok(settingNames().length >= 30, 'the schemas are read');
    for (const name of settingNames()) {
      assert.ok(names.has(name), `${name} is in .env.example`);
      assert.ok(readme.includes(`| \`${name}\` |`), `${name} is in the README's configuration table`);
    }
    // The offline hint line (`# Offline, use ...: EMBEDDING_MODEL=...`) is prose, not a default.
    assert.equal(uncommented.EMBEDDING_MODEL, 'Xenova/all-MiniLM-L6-v2');
    assert.deepEqual(
      loadBotConfig({ ...uncommented, DISCORD_TOKEN: 't' }, '/srv'),
      loadBotConfig({ DISCORD_TOKEN: 't' }, '/srv'),
    );
  });
});
