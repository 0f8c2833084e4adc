import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { PROJECT_ROOT, testModelPath } from './helpers/models.js';
import { type NodeRun, runNode } from './helpers/run-node.js';
import { tempDir } from './helpers/temp.js';

let env: NodeJS.ProcessEnv;

/**
 * Runs a CLI entry point as `npm run <name>` would, from the project root. A run still going after 60 s
 * is killed (code null), so that a command that hangs fails its test instead of the whole suite.
 */
function run(
  script: 'ask' | 'ingest' | 'sources',
  args: string[],
  stdin?: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<NodeRun> {
  return runNode(path.join('src', 'cli', `${script}.ts`), args, { env: { ...env, ...extraEnv }, stdin });
}

before(async () => {
  const work = await tempDir();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CORPUS_DIR: 'corpus',
    INDEX_DIR: path.join(work, 'index'),
    MODEL_CACHE_DIR: path.join(work, 'models'),
    EMBEDDING_MODEL: testModelPath('use-static-128'),
    EMBEDDING_DTYPE: 'q8',
  };
});

describe('npm run ask', () => {
  it('ingests first on a fresh checkout, then prints only JSON on stdout with --json', async () => {
    const { code, stdout, stderr } = await run('ask', [
      'How many heart patients were treated for free?',
      '--json',
      '--limit',
      '2',
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /No index yet .* ingesting/);
    assert.match(stderr, /Embedding articles: \d+\/\d+/);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'one JSON document');
    const answer = JSON.parse(lines[0] as string) as {
      question: string;
      results: Array<Record<string, unknown>>;
    };
    assert.equal(answer.question, 'How many heart patients were treated for free?');
    assert.ok(answer.results.length >= 1 && answer.results.length <= 2);
    const top = answer.results[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(top).sort(), [
      'alsoIn',
      'date',
      'end',
      'file',
      'lastPage',
      'outlet',
      'page',
      'quote',
      'score',
      'start',
      'strength',
      'title',
      'url',
    ]);
    assert.equal(top.file, 'corpus/003_e9c50f8481d5a253.txt');
    const body = await readFile(path.join(PROJECT_ROOT, top.file as string), 'utf8');
    assert.ok(body.includes(top.quote as string), 'the quote is verbatim from the file');
    assert.match(top.quote as string, /8,300 patients/);
    assert.equal(top.page, null, 'a text article has no pages');
  });

  it('reads questions from standard input, exactly one JSON line per input line, an error line for an empty or bad one', async () => {
    const tooLong = 'why '.repeat(150);
    const input = `Who presided over the Xinjiang conference?\n\nHow do I reset my email password?\n   \n${tooLong}\nWhat did Xi tell aid workers in 2021?\n`;
    const { code, stdout, stderr } = await run('ask', ['--json', '--limit', '1'], input);
    assert.equal(code, 0, stderr);
    const answers = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { question: string; results: unknown[]; error?: string });
    assert.deepEqual(
      answers.map((a) => a.question),
      [
        'Who presided over the Xinjiang conference?',
        '',
        'How do I reset my email password?',
        '',
        tooLong.trim(),
        'What did Xi tell aid workers in 2021?',
      ],
      'one line out for each line in, in order',
    );
    assert.equal(answers[0]?.results.length, 1);
    assert.match(answers[1]?.error ?? '', /^Ask a question/);
    assert.deepEqual(answers[2]?.results, [], 'off-topic: no result');
    assert.equal(answers[2]?.error, undefined);
    assert.match(answers[3]?.error ?? '', /^Ask a question/);
    assert.match(answers[4]?.error ?? '', /keep it under 500/);
    assert.equal(answers[5]?.results.length, 1);
  });

  it('prints numbered quotes with title, outlet, date and file for a person', async () => {
    const { code, stdout } = await run('ask', [
      'What did Xi reply when locals tried to talk him out of visiting Nang County?',
      '--limit',
      '1',
    ]);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /^1\. Xi Story: [^\n]* \(Xinhua, 2024-08-28\)\n {3}> .*Anyone but me has the right to flinch/s,
    );
    assert.match(stdout, /corpus\/002_35826060f10723de\.txt/);
  });

  it('says plainly when nothing in the archive answers, and points to npm run sources', async () => {
    const { code, stdout } = await run('ask', ['Recipe for chocolate chip cookies']);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      'No article in the archive answers "Recipe for chocolate chip cookies".\nTry other words; `npm run sources` lists what the archive holds.\n',
    );
  });

  it('names the filters that were active when nothing answers', async () => {
    const { code, stdout } = await run('ask', [
      'How many heart patients were treated for free?',
      '--outlet',
      'xinhua',
      '--since',
      '2025-01-01',
    ]);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /^No article in the archive answers "How many heart patients were treated for free\?" \(with --outlet xinhua, --since 2025-01-01\)\.\nTry other words, or fewer filters;/,
    );
  });

  it('echoes each question from standard input above its answers in text mode', async () => {
    const input = 'Who presided over the Xinjiang conference?\n\nRecipe for chocolate chip cookies\n';
    const { code, stdout } = await run('ask', ['--limit', '1'], input);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /^Question: Who presided over the Xinjiang conference\?\n1\. China's top political advisor urges sustained pairing assistance to Xinjiang/,
    );
    assert.match(
      stdout,
      /\n\nQuestion: Recipe for chocolate chip cookies\nNo article in the archive answers "Recipe for chocolate chip cookies"/,
    );
    assert.equal(stdout.match(/^Question: /gm)?.length, 2, 'blank lines are no questions for a person');
  });

  it('answers a bad argument with one plain line and the usage, exit code 1, no stack trace', async () => {
    for (const [script, args, line] of [
      ['ask', ['aid', '--outlet'], '--outlet needs a value.'],
      ['ask', ['aid', '--frobnicate'], 'Unknown option --frobnicate.'],
      ['sources', ['stray'], 'Unexpected argument "stray".'],
      ['ingest', ['--force'], 'Unknown option --force.'],
    ] as const) {
      const { code, stdout, stderr } = await run(script, [...args]);
      const label = `${script} ${args.join(' ')}`;
      assert.equal(code, 1, label);
      assert.equal(stdout, '', label);
      const [first, second] = stderr.split('\n');
      assert.equal(first, line, label);
      assert.match(second ?? '', /^Usage: npm run /, label);
      assert.doesNotMatch(stderr, /\n\s+at |TypeError|ERR_PARSE_ARGS/, `${label}: no stack trace`);
    }
  });

  it('rejects bad options with a message and exit code 1', async () => {
    const bad = await run('ask', ['aid', '--limit', 'many']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--limit must be a whole number/);
    const date = await run('ask', ['aid', '--since', 'yesterday', '--json']);
    assert.equal(date.code, 1);
    assert.equal(date.stdout, '');
    assert.match(date.stderr, /`since` must be a date/);
  });
});

describe('npm run ingest', () => {
  it('prints a summary of what changed', async () => {
    const { code, stdout } = await run('ingest', []);
    assert.equal(code, 0);
    assert.match(
      stdout,
      /Ingest finished in [\d.]+ s: 5 articles, \d+ passages in the index\.\n {2}added 0, updated 0, unchanged 5, removed 0, skipped 0/,
    );
  });

  it('stops with one readable line per bad variable', async () => {
    const saved = env;
    env = { ...env, EMBEDDING_DTYPE: 'int4', LOG_LEVEL: 'loud' };
    try {
      const { code, stderr } = await run('ingest', []);
      assert.equal(code, 1);
      assert.match(stderr, /EMBEDDING_DTYPE: must be q8 or fp32/);
      assert.match(stderr, /LOG_LEVEL: must be one of/);
    } finally {
      env = saved;
    }
  });
});

describe('npm run sources and ask --list', () => {
  it('lists the archive newest first with title, outlet, date and file', async () => {
    const { code, stdout } = await run('sources', []);
    assert.equal(code, 0);
    const lines = stdout.split('\n');
    assert.equal(lines[0], '5 articles in the archive, newest first:');
    assert.equal(
      lines[2],
      "1. China's top political advisor urges sustained pairing assistance to Xinjiang (Xinhua, 2025-07-10)",
    );
    assert.equal(lines[3], '   corpus/001_6d679d00b5a46ec6.txt');
    assert.match(
      stdout,
      /5\. 30 years of support for development \(outlet unknown, undated\)\n {3}corpus\/003_e9c50f8481d5a253\.txt\n$/,
    );
  });

  it('filters by outlet whatever its case, prints JSON with --json, and ask --list prints the same', async () => {
    const sources = await run('sources', ['--outlet', 'XINHUA', '--json']);
    assert.equal(sources.code, 0, sources.stderr);
    const list = JSON.parse(sources.stdout) as {
      outlet: string;
      total: number;
      articles: Array<{ file: string; title: string; outlet: string; date: string; url: string | null }>;
    };
    assert.equal(list.outlet, 'Xinhua');
    assert.equal(list.total, 3);
    assert.deepEqual(
      list.articles.map((a) => [a.file, a.date]),
      [
        ['corpus/001_6d679d00b5a46ec6.txt', '2025-07-10'],
        ['corpus/000_01192254e148cab4.txt', '2024-08-29'],
        ['corpus/002_35826060f10723de.txt', '2024-08-28'],
      ],
    );
    assert.deepEqual(Object.keys(list.articles[0] ?? {}).sort(), ['date', 'file', 'outlet', 'title', 'url']);
    const asked = await run('ask', ['--list', '--outlet', 'XINHUA', '--json']);
    assert.equal(asked.code, 0, asked.stderr);
    assert.equal(asked.stdout, sources.stdout);
  });

  it('names the closest outlets when the one asked for is not in the archive', async () => {
    const { code, stderr } = await run('sources', ['--outlet', 'Zhejiang Daily']);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      'No article in the archive is from the outlet "Zhejiang Daily". Closest outlets: Zhejiang Online, Xinhua. `npm run sources` lists every article with its outlet.\n',
    );
  });

  it('matches an outlet on whole words, in any case: --outlet zhejiang is "Zhejiang Online" (sources and ask)', async () => {
    const sources = await run('sources', ['--outlet', 'zhejiang', '--json']);
    assert.equal(sources.code, 0, sources.stderr);
    const list = JSON.parse(sources.stdout) as { outlet: string; articles: Array<{ outlet: string }> };
    assert.equal(list.outlet, 'Zhejiang Online');
    assert.ok(list.articles.length > 0 && list.articles.every((a) => a.outlet === 'Zhejiang Online'));
    const asked = await run('ask', ['--json', '--outlet', 'ONLINE', 'What was planted?']);
    assert.equal(asked.code, 0, asked.stderr);
    const answer = JSON.parse(asked.stdout) as { results: Array<{ outlet: string }> };
    assert.ok(
      answer.results.every((r) => r.outlet === 'Zhejiang Online'),
      asked.stdout,
    );
    // A part of a word is not a whole word: "Zhe" names no outlet, and the closest one is suggested.
    const part = await run('ask', ['--outlet', 'Zhe', 'What was planted?']);
    assert.equal(part.code, 1);
    assert.match(
      part.stderr,
      /^No article in the archive is from the outlet "Zhe"\. Closest outlets: Zhejiang Online/,
    );
  });
});

describe('start-up checks of the CLIs', () => {
  it('stops at once with one line for an INDEX_DIR that cannot be created (under /proc it used to spin forever)', async () => {
    const { code, stdout, stderr } = await run('ingest', [], undefined, {
      INDEX_DIR: '/proc/clipdesk-test/index',
    });
    assert.equal(code, 1, 'exited by itself');
    assert.equal(stdout, '');
    assert.equal(
      stderr,
      'Configuration problem:\n  INDEX_DIR: cannot create the folder /proc/clipdesk-test/index (that place does not allow new folders, ENOENT); choose a folder Clipdesk can create and write\n',
    );
  });

  it('prints one readable line for a missing CORPUS_DIR or model folder, even with LOG_LEVEL=silent', async () => {
    const corpus = await run('ask', ['aid'], undefined, {
      CORPUS_DIR: 'no-such-corpus',
      LOG_LEVEL: 'silent',
    });
    assert.equal(corpus.code, 1);
    assert.equal(
      corpus.stderr,
      `Configuration problem:\n  CORPUS_DIR: no such folder: ${path.join(PROJECT_ROOT, 'no-such-corpus')} (create it and put the articles in it, or point CORPUS_DIR at the archive)\n`,
    );
    const model = await run('ingest', [], undefined, {
      EMBEDDING_MODEL: 'test/models/use-static128',
      LOG_LEVEL: 'silent',
    });
    assert.equal(model.code, 1);
    assert.match(
      model.stderr,
      /^Configuration problem:\n {2}EMBEDDING_MODEL: no such folder: \/.*\/test\/models\/use-static128; model folders here: EMBEDDING_MODEL=test\/models\/use-static-128.*\n$/,
    );
    assert.doesNotMatch(model.stderr, /tokenizer_class/);
  });
});
