/**
 * `npm run bench:relevance`: how often the top quote holds the answer, the right article comes first and
 * off-topic questions are declined, on the five shipped articles (test/fixtures/questions.json) and on the
 * BBC News archive when ../shared/corpora/bbc is there (test/fixtures/bbc-questions.json), each split into
 * the development questions relevance was tuned on and held-out ones. One table: BENCH_RELEVANCE_MODEL
 * (default ../shared/models/use-static-128, the one local model whose vectors carry meaning) hybrid and
 * lexical only, and ../shared/models/minilm-l6-random (the real model's shape, random weights: it must
 * not make answers worse). Indexes are kept in .clipdesk/bench-relevance and brought up to date by an
 * incremental ingest, so only the first run embeds the archive. `--verbose` prints every miss.
 * The last stdout line is JSON.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger } from '../src/logger.js';
import { Embedder } from '../src/embedding/embedder.js';
import { SearchService } from '../src/search/search-service.js';
import {
  benchBackend,
  type Questions,
  readQuestions,
  relevanceIndex,
  rightArticle,
} from './relevance-shared.js';

interface Corpus {
  name: string;
  dir: string;
  questions: Questions;
}

interface Config {
  name: string;
  model: string;
  lexicalOnly: boolean;
}

interface Score {
  answered: number;
  firstRight: number;
  onTopic: number;
  declined: number;
  offTopic: number;
}

const verbose = process.argv.includes('--verbose');
const log = silentLogger();
const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

const sharedModels = path.resolve('../shared/models');
const haveShared = await exists(sharedModels);
const primary =
  process.env.BENCH_RELEVANCE_MODEL ??
  (haveShared ? path.join(sharedModels, 'use-static-128') : path.resolve('test/models/use-static-128'));
if (!process.env.BENCH_RELEVANCE_MODEL && !haveShared) {
  console.log(
    `Note: ../shared/models is not here, so this uses test/models/use-static-128 and skips minilm-l6-random; set BENCH_RELEVANCE_MODEL to a model folder (or Hub id) to measure another model.`,
  );
}
const configs: Config[] = [
  { name: `${path.basename(primary)}`, model: primary, lexicalOnly: false },
  { name: `${path.basename(primary)}, lexical only`, model: primary, lexicalOnly: true },
];
if (haveShared)
  configs.push({
    name: 'minilm-l6-random',
    model: path.join(sharedModels, 'minilm-l6-random'),
    lexicalOnly: false,
  });

const corpora: Corpus[] = [
  { name: 'five articles', dir: 'corpus', questions: await readQuestions('questions.json') },
];
const bbc = path.resolve('../shared/corpora/bbc');
if (await exists(bbc))
  corpora.push({ name: 'BBC', dir: bbc, questions: await readQuestions('bbc-questions.json') });
else console.log('Note: ../shared/corpora/bbc is not here; measuring the five shipped articles only.');

/** INDEX_BACKEND: both backends must give the same figures. */
const backend = benchBackend();
console.log(`Index backend: ${backend} (INDEX_BACKEND).`);
const rows: Array<{ config: string; corpus: string; dev: Score; heldOut: Score }> = [];
for (const model of [...new Set(configs.map((c) => c.model))]) {
  const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
  for (const corpus of corpora) {
    process.stderr.write(
      `Bringing the ${corpus.name} index for ${path.basename(model)} (${backend}) up to date…\n`,
    );
    const indexDir = await relevanceIndex({
      corpusName: corpus.name,
      corpusDir: corpus.dir,
      model,
      embedder,
      backend,
      log,
    });
    for (const config of configs.filter((c) => c.model === model)) {
      const search = await SearchService.open({ indexDir, embedder, log, lexicalOnly: config.lexicalOnly });
      rows.push({
        config: config.name,
        corpus: corpus.name,
        dev: await measure(search, corpus.questions, 'dev'),
        heldOut: await measure(search, corpus.questions, 'held-out'),
      });
      await search.close();
    }
  }
  await embedder.dispose();
}

const cell = (n: number, of: number) => `${n}/${of}`;
console.log(
  '\n| model | corpus | top quote holds the answer (dev / held-out) | right article first (dev / held-out) | off-topic declined (dev / held-out) |',
);
console.log('| --- | --- | --- | --- | --- |');
for (const { config, corpus, dev, heldOut } of rows) {
  console.log(
    `| ${config} | ${corpus} | ${cell(dev.answered, dev.onTopic)} / ${cell(heldOut.answered, heldOut.onTopic)} | ${cell(dev.firstRight, dev.onTopic)} / ${cell(heldOut.firstRight, heldOut.onTopic)} | ${cell(dev.declined, dev.offTopic)} / ${cell(heldOut.declined, heldOut.offTopic)} |`,
  );
}
console.log(JSON.stringify({ rows }));

async function measure(search: SearchService, qs: Questions, set: 'dev' | 'held-out'): Promise<Score> {
  const score: Score = { answered: 0, firstRight: 0, onTopic: 0, declined: 0, offTopic: 0 };
  const bodies = new Map(
    (await search.views(search.articles.map((a) => a.id))).map((a) => [a.meta.source, a.body]),
  );
  for (const { q, answer, file } of qs.onTopic.filter((x) => x.set === set)) {
    const top = (await search.search(q, { limit: 1 })).results[0];
    const holds = top !== undefined && answer.some((a) => top.quote.includes(a));
    score.onTopic++;
    if (holds) score.answered++;
    if (top && rightArticle(top, file, answer, bodies)) score.firstRight++;
    if (verbose && !holds)
      console.log(
        `MISS (${set}) ${q}\n  want: ${answer[0]}\n  got: ${top?.source ?? '-'}: ${top?.quote ?? '(nothing)'}\n`,
      );
  }
  for (const q of set === 'dev' ? qs.offTopic : qs.offTopicHeldOut) {
    const top = (await search.search(q, { limit: 1 })).results[0];
    score.offTopic++;
    if (!top) score.declined++;
    else if (verbose) console.log(`ANSWERED OFF-TOPIC (${set}) ${q}\n  got: ${top.source}: ${top.quote}\n`);
  }
  return score;
}
