/**
 * `npm run bench:ask-check -- [--archive NAME] [--split held-out|dev|sealed]`: one archive's bank questions
 * through the real CLI, as an outside check asks them: every question of the split on stdin to
 * `tsx src/cli/ask.ts --json --limit 3`, which must print one JSON line each; every quote is checked against
 * the stored article text (`body.slice(start, end)`), and the top quote scored as bench:relevance scores it.
 * The index is the CLI's own (.clipdesk/bench-ask/<archive>), the model use-static-128 unless EMBEDDING_MODEL
 * is set. Last stdout line: JSON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { articleTexts } from '../src/cli/calibrate-run.js';
import { holdsAnswer, readBank } from '../src/search/calibrate/bank.js';
import { ArchiveReader } from '../src/store/archive.js';

const { values } = parseArgs({
  options: {
    bank: { type: 'string', default: 'bench/questions/bank.json' },
    archive: { type: 'string', default: 'BBC' },
    split: { type: 'string', default: 'held-out' },
  },
});
const archive = (await readBank(path.resolve(values.bank ?? ''), articleTexts)).find(
  (a) => a.name === values.archive,
);
if (!archive) throw new Error(`no archive ${values.archive} in the bank (or its folder is not here)`);
const questions = archive.questions.filter((q) => q.split === values.split);
const indexDir = path.resolve('.clipdesk/bench-ask', archive.name.toLowerCase());
const sharedModel = path.resolve('../shared/models/use-static-128');
const model =
  process.env.EMBEDDING_MODEL ??
  (existsSync(sharedModel) ? sharedModel : path.resolve('test/models/use-static-128'));
process.stderr.write(
  `${questions.length} ${values.split} questions on ${archive.corpusDir} (index ${indexDir})…\n`,
);
const run = spawnSync('npx', ['tsx', 'src/cli/ask.ts', '--json', '--limit', '3'], {
  input: `${questions.map((q) => q.q).join('\n')}\n`,
  encoding: 'utf8',
  maxBuffer: 1 << 28,
  env: {
    ...process.env,
    CORPUS_DIR: archive.corpusDir,
    INDEX_DIR: indexDir,
    EMBEDDING_MODEL: model,
    LOG_LEVEL: 'error',
  },
});
const lines = run.stdout.trim().split('\n');
if (run.status !== 0 || lines.length !== questions.length)
  throw new Error(
    `ask printed ${lines.length} lines for ${questions.length} questions (exit ${run.status}): ${run.stderr.slice(0, 800)}`,
  );

const reader = await ArchiveReader.open(indexDir);
if (!reader) throw new Error(`no index in ${indexDir} after ask`);
const bodies = new Map(
  (await reader.views(reader.articles.map((a) => a.id))).map((v) => [v.meta.source, v.body]),
);
await reader.close();

const score = { onTopic: 0, top1: 0, top3: 0, declinedWrongly: 0, offTopic: 0, offTopicDeclined: 0 };
let quotes = 0;
const notVerbatim: string[] = [];
lines.forEach((line, i) => {
  const { results } = JSON.parse(line) as {
    results: Array<{ file: string; quote: string; start: number; end: number }>;
  };
  for (const r of results) {
    quotes++;
    const source = path.relative(archive.corpusDir, path.resolve(r.file)).split(path.sep).join('/');
    if (bodies.get(source)?.slice(r.start, r.end) !== r.quote) notVerbatim.push(`${r.file}: ${r.quote}`);
  }
  const question = questions[i];
  if (question?.answers) {
    score.onTopic++;
    if (results.length === 0) score.declinedWrongly++;
    const holds = results.map((r) => holdsAnswer(r.quote, question.answers ?? []));
    if (holds[0]) score.top1++;
    if (holds.some(Boolean)) score.top3++;
  } else {
    score.offTopic++;
    if (results.length === 0) score.offTopicDeclined++;
  }
});
console.log(
  `${archive.name} ${values.split}: top quote holds the answer ${score.top1}/${score.onTopic}, in the top 3 ${score.top3}/${score.onTopic}, answerable declined ${score.declinedWrongly}/${score.onTopic}, off-topic declined ${score.offTopicDeclined}/${score.offTopic}`,
);
console.log(`quotes: ${quotes}, verbatim: ${quotes - notVerbatim.length}`);
for (const q of notVerbatim) console.log(`NOT VERBATIM ${q}`);
console.log(
  JSON.stringify({
    archive: archive.name,
    split: values.split,
    quotes,
    verbatim: quotes - notVerbatim.length,
    score,
  }),
);
if (notVerbatim.length > 0) process.exitCode = 1;
