import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { paragraphs, rss } from './helpers/feed-fixtures.js';
import { type FeedServer, serve, startFeedServer, status } from './helpers/feed-server.js';
import { testModelPath } from './helpers/models.js';
import { type NodeRun, runNode } from './helpers/run-node.js';
import { copyOfShippedCorpus, tempDir } from './helpers/temp.js';

let server: FeedServer;
let env: NodeJS.ProcessEnv;
let corpusDir: string;

function run(args: string[]): Promise<NodeRun> {
  return runNode(path.join('src', 'cli', 'feeds.ts'), args, { env });
}

before(async () => {
  server = await startFeedServer();
  server.route(
    '/news.xml',
    serve(
      rss('Valley Post', [
        {
          title: 'Reservoir levels recover',
          link: server.url('/r'),
          guid: 'r1',
          pubDate: 'Fri, 20 Nov 2026 07:00:00 GMT',
          full: paragraphs('Reservoir'),
        },
      ]),
      'application/rss+xml',
      '"r1"',
    ),
  );
  server.route('/down.xml', status(503, { 'retry-after': '120' }));
  const work = await tempDir();
  corpusDir = await copyOfShippedCorpus();
  const feedsFile = path.join(work, 'feeds.json');
  await writeFile(
    feedsFile,
    JSON.stringify({
      feeds: [
        { url: server.url('/news.xml'), outlet: 'Valley Post' },
        { url: server.url('/down.xml'), outlet: 'Down Daily' },
      ],
    }),
  );
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CORPUS_DIR: corpusDir,
    INDEX_DIR: path.join(work, 'index'),
    DATA_DIR: path.join(work, 'data'),
    FEEDS_FILE: feedsFile,
    FEEDS_ALLOW_PRIVATE: '1',
    MODEL_CACHE_DIR: path.join(work, 'models'),
    EMBEDDING_MODEL: testModelPath('tiny-random-bert'),
  };
});
after(() => server.close());

describe('npm run feeds', () => {
  it('polls every feed once, writes and ingests what is new, prints a summary, and exits 1 when a feed failed', async () => {
    const { code, stdout } = await run([]);
    assert.equal(code, 1);
    assert.match(stdout, /Valley Post \(http:\/\/127\.0\.0\.1:\d+\/news\.xml\): 1 new/);
    assert.match(stdout, /Down Daily \(.*\): FAILED: HTTP 503 Service Unavailable/);
    assert.match(
      stdout,
      /Articles written: 1\n {2}feeds\/valley-post\/2026-11-20-reservoir-levels-recover\.md/,
    );
    assert.match(stdout, /added 6, updated 0/);
    assert.deepEqual(await readdir(path.join(corpusDir, 'feeds/valley-post')), [
      '2026-11-20-reservoir-levels-recover.md',
    ]);
  });

  it('--status shows each feed’s last success, last error and next poll without polling', async () => {
    const requests = server.requests.length;
    const { code, stdout } = await run(['--status']);
    assert.equal(code, 0);
    assert.equal(server.requests.length, requests);
    assert.match(
      stdout,
      /Valley Post .*\n {2}last success: \d{4}-\d\d-\d\dT.*\n {2}last error: {3}none\n {2}next poll: {4}\d{4}-/,
    );
    assert.match(
      stdout,
      /Down Daily .*\n {2}last success: never\n {2}last error: {3}.*HTTP 503 Service Unavailable \(1 failed polls in a row\)/,
    );
  });

  it('a second run uses the stored ETag and writes nothing new', async () => {
    const { stdout } = await run([]);
    assert.match(stdout, /Valley Post \(.*\): not modified/);
    assert.match(stdout, /Articles written: 0/);
    assert.equal(server.requestsTo('/news.xml').at(-1)?.headers['if-none-match'], '"r1"');
  });
});
