import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { PROJECT_ROOT, testModelPath } from './helpers/models.js';
import { tempDir } from './helpers/temp.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let env: NodeJS.ProcessEnv;

/** Runs a CLI entry point as `npm run <name>` would, from the project root. */
function run(script: 'ask' | 'ingest', args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join('src', 'cli', `${script}.ts`), ...args],
      { cwd: PROJECT_ROOT, env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
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
    assert.match(stderr, /Embedding passages: \d+\/\d+/);
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
      'outlet',
      'quote',
      'score',
      'start',
      'title',
      'url',
    ]);
    assert.equal(top.file, 'corpus/003_e9c50f8481d5a253.txt');
    const body = await readFile(path.join(PROJECT_ROOT, top.file as string), 'utf8');
    assert.ok(body.includes(top.quote as string), 'the quote is verbatim from the file');
    assert.match(top.quote as string, /8,300 patients/);
  });

  it('reads questions from standard input, one JSON line each, and answers a bad line with its error', async () => {
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
        'How do I reset my email password?',
        tooLong.trim(),
        'What did Xi tell aid workers in 2021?',
      ],
    );
    assert.equal(answers[0]?.results.length, 1);
    assert.deepEqual(answers[1]?.results, [], 'off-topic: no result');
    assert.match(answers[2]?.error ?? '', /keep it under 500/);
    assert.equal(answers[3]?.results.length, 1);
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

  it('says plainly when nothing in the archive answers', async () => {
    const { code, stdout } = await run('ask', ['Recipe for chocolate chip cookies']);
    assert.equal(code, 0);
    assert.match(stdout, /No article in the archive answers "Recipe for chocolate chip cookies"/);
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
