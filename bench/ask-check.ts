/**
 * `npm run bench:ask-check`: the relevance questions through the real CLI, as the issue measures them. Every
 * question of BENCH_ASK_QUESTIONS (default test/fixtures/bbc-questions.json, or questions.json with the shipped
 * corpus) goes on stdin to `tsx src/cli/ask.ts --json --limit 5`, which must print one JSON line each; then
 * every quote is checked against the stored article text (`body.slice(start, end)`), and the top quote is
 * scored as bench:relevance scores it. CORPUS_DIR, INDEX_DIR and EMBEDDING_MODEL are the CLI's own settings
 * (defaults: the BBC archive when ../shared has it, an index under .clipdesk/bench-ask, use-static-128).
 * Last stdout line: JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveReader } from '../src/store/archive.js';
import type { Questions } from './relevance-shared.js';

const bbc = path.resolve('../shared/corpora/bbc');
const corpusDir = process.env.CORPUS_DIR ?? (existsSync(bbc) ? bbc : path.resolve('corpus'));
const fixture =
  process.env.BENCH_ASK_QUESTIONS ??
  path.join('test', 'fixtures', corpusDir === bbc ? 'bbc-questions.json' : 'questions.json');
const indexDir = process.env.INDEX_DIR ?? path.resolve('.clipdesk/bench-ask', path.basename(corpusDir));
const sharedModel = path.resolve('../shared/models/use-static-128');
const model =
  process.env.EMBEDDING_MODEL ??
  (existsSync(sharedModel) ? sharedModel : path.resolve('test/models/use-static-128'));

const qs = JSON.parse(await readFile(fixture, 'utf8')) as Questions;
const off = [
  ...qs.offTopic.map((q) => ({ q, set: 'dev' })),
  ...qs.offTopicHeldOut.map((q) => ({ q, set: 'held-out' })),
];
const questions = [...qs.onTopic.map((x) => x.q), ...off.map((x) => x.q)];
process.stderr.write(`${questions.length} questions from ${fixture} on ${corpusDir} (index ${indexDir})…\n`);
const run = spawnSync('npx', ['tsx', 'src/cli/ask.ts', '--json', '--limit', '5'], {
  input: `${questions.join('\n')}\n`,
  encoding: 'utf8',
  maxBuffer: 1 << 28,
  env: {
    ...process.env,
    CORPUS_DIR: corpusDir,
    INDEX_DIR: indexDir,
    EMBEDDING_MODEL: model,
    LOG_LEVEL: 'error',
  },
});
const lines = run.stdout.trim().split('\n');
if (run.status !== 0 || lines.length !== questions.length) {
  throw new Error(
    `ask printed ${lines.length} lines for ${questions.length} questions (exit ${run.status}): ${run.stderr.slice(0, 800)}`,
  );
}

const archive = await ArchiveReader.open(indexDir);
if (!archive) throw new Error(`no index in ${indexDir} after ask`);
const bodies = new Map(
  (await archive.views(archive.articles.map((a) => a.id))).map((v) => [v.meta.source, v.body]),
);
await archive.close();

interface Score {
  answered: number;
  onTopic: number;
  declined: number;
  offTopic: number;
}
const scores = new Map<string, Score>();
const score = (set: string) => {
  let s = scores.get(set);
  if (!s) {
    s = { answered: 0, onTopic: 0, declined: 0, offTopic: 0 };
    scores.set(set, s);
  }
  return s;
};
let quotes = 0;
const notVerbatim: string[] = [];
lines.forEach((line, i) => {
  const { results } = JSON.parse(line) as {
    results: Array<{ file: string; quote: string; start: number; end: number }>;
  };
  for (const r of results) {
    quotes++;
    const source = path.relative(path.resolve(corpusDir), path.resolve(r.file)).split(path.sep).join('/');
    if (bodies.get(source)?.slice(r.start, r.end) !== r.quote) notVerbatim.push(`${r.file}: ${r.quote}`);
  }
  const onTopic = qs.onTopic[i];
  if (onTopic) {
    const s = score(onTopic.set);
    s.onTopic++;
    const top = results[0];
    if (top && onTopic.answer.some((a) => top.quote.includes(a))) s.answered++;
  } else {
    const s = score((off[i - qs.onTopic.length] as { set: string }).set);
    s.offTopic++;
    if (results.length === 0) s.declined++;
  }
});

for (const [set, s] of scores)
  console.log(
    `${set}: top quote holds the answer ${s.answered}/${s.onTopic}, off-topic declined ${s.declined}/${s.offTopic}`,
  );
console.log(`quotes: ${quotes}, verbatim: ${quotes - notVerbatim.length}`);
for (const q of notVerbatim) console.log(`NOT VERBATIM ${q}`);
console.log(
  JSON.stringify({
    questions: fixture,
    corpus: corpusDir,
    quotes,
    verbatim: quotes - notVerbatim.length,
    scores: Object.fromEntries(scores),
  }),
);
if (notVerbatim.length > 0) process.exitCode = 1;
