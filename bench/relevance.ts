/**
 * `npm run bench:relevance`: the question bank (bench/questions/bank.json) through the answer pipeline,
 * held-out figures first, then dev; `--sealed` also scores the sealed part (only when a piece of work is
 * finished: a change is kept only if held-out improves, and sealed is never used to choose). For each
 * archive and split: the top quote holds the answer, one of the top three does, answerable questions
 * declined, off-topic questions declined. Models: BENCH_RELEVANCE_MODEL (default
 * ../shared/models/use-static-128) hybrid and lexical only, and ../shared/models/minilm-l6-random (the
 * default model's shape with random weights: the pipeline must not lean on one model's quirks), each with
 * its committed parameters (src/search/params/) unless `--params FILE` is given. `--only NAME` runs one
 * configuration; `--verbose` prints every miss. Indexes are kept in .clipdesk/calibrate.
 * The last stdout line is JSON.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { articleTexts, keptIndex } from '../src/cli/calibrate-run.js';
import { Embedder } from '../src/embedding/embedder.js';
import { silentLogger } from '../src/logger.js';
import { type BankQuestion, holdsAnswer, readBank, type Split } from '../src/search/calibrate/bank.js';
import { readParamsFile } from '../src/search/pipeline/params.js';
import { SearchService } from '../src/search/search-service.js';

const { values } = parseArgs({
  options: {
    bank: { type: 'string', default: 'bench/questions/bank.json' },
    sealed: { type: 'boolean', default: false },
    params: { type: 'string' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const log = silentLogger();
const shared = path.resolve('../shared/models');
const primary =
  process.env.BENCH_RELEVANCE_MODEL ??
  (existsSync(shared) ? path.join(shared, 'use-static-128') : path.resolve('test/models/use-static-128'));
const configs = [
  { name: path.basename(primary), model: primary, lexicalOnly: false },
  { name: `${path.basename(primary)}, lexical only`, model: primary, lexicalOnly: true },
  ...(existsSync(shared)
    ? [{ name: 'minilm-l6-random', model: path.join(shared, 'minilm-l6-random'), lexicalOnly: false }]
    : []),
].filter((c) => !values.only || c.name === values.only);
const splits: Split[] = values.sealed ? ['held-out', 'dev', 'sealed'] : ['held-out', 'dev'];

interface Score {
  onTopic: number;
  top1: number;
  top3: number;
  declinedWrongly: number;
  offTopic: number;
  offTopicDeclined: number;
}

const archives = await readBank(path.resolve(values.bank ?? ''), articleTexts);
const rows: Array<{ config: string; archive: string; split: Split; score: Score }> = [];
for (const model of [...new Set(configs.map((c) => c.model))]) {
  const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
  for (const archive of archives) {
    process.stderr.write(`Bringing the ${archive.name} index for ${path.basename(model)} up to date…\n`);
    const indexDir = await keptIndex({
      archive: archive.name,
      corpusDir: archive.corpusDir,
      model,
      embedder,
      backend: process.env.INDEX_BACKEND === 'lancedb' ? 'lancedb' : 'vectra',
      log,
    });
    for (const config of configs.filter((c) => c.model === model)) {
      const search = await SearchService.open({
        indexDir,
        embedder,
        log,
        lexicalOnly: config.lexicalOnly,
        params: values.params ? await readParamsFile(values.params) : undefined,
      });
      for (const split of splits) {
        const questions = archive.questions.filter((q) => q.split === split);
        rows.push({
          config: config.name,
          archive: archive.name,
          split,
          score: await measure(search, questions),
        });
      }
      await search.close();
    }
  }
  await embedder.dispose();
}

const pct = (n: number, of: number) => `${n}/${of}`;
console.log(
  '\n| model | archive | split | top quote holds the answer | in the top 3 | answerable declined | off-topic declined |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const { config, archive, split, score: s } of rows)
  console.log(
    `| ${config} | ${archive} | ${split} | ${pct(s.top1, s.onTopic)} | ${pct(s.top3, s.onTopic)} | ${pct(s.declinedWrongly, s.onTopic)} | ${pct(s.offTopicDeclined, s.offTopic)} |`,
  );
console.log(JSON.stringify({ rows }));

async function measure(search: SearchService, questions: readonly BankQuestion[]): Promise<Score> {
  const s: Score = { onTopic: 0, top1: 0, top3: 0, declinedWrongly: 0, offTopic: 0, offTopicDeclined: 0 };
  for (const question of questions) {
    const { results } = await search.search(question.q, { limit: 3 });
    if (question.answers) {
      s.onTopic++;
      if (results.length === 0) s.declinedWrongly++;
      const holds = results.map((r) => holdsAnswer(r.quote, question.answers ?? []));
      if (holds[0]) s.top1++;
      if (holds.some(Boolean)) s.top3++;
      if (values.verbose && !holds[0])
        console.log(
          `MISS ${question.archive} ${question.split}: ${question.q}\n  want: ${question.answers[0]} (${question.files.join(', ')})\n  got: ${results[0] ? `${results[0].source} (${results[0].score}): ${results[0].quote}` : '(declined)'}\n`,
        );
    } else {
      s.offTopic++;
      if (results.length === 0) s.offTopicDeclined++;
      else if (values.verbose)
        console.log(
          `ANSWERED OFF-TOPIC ${question.archive} ${question.split}: ${question.q}\n  got: ${results[0]?.source}: ${results[0]?.quote}\n`,
        );
    }
  }
  return s;
}
