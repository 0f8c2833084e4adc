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
