/**
 * `npm run calibrate`: fits the answer pipeline's two models on the development part of a question bank
 * and writes the parameters for a model.
 *
 *   npm run calibrate -- [--bank bench/questions/bank.json] [--model DIR|HUB_ID] [--lexical] [--out FILE]
 *
 * The sentence model (which sentence of the right article answers) is fitted first, then the questions
 * are asked again with it and the article model (whether an article answers: ranking, the decision and
 * the strength shown) is fitted on the candidates, and the decline threshold chosen for the stated
 * trade-off (fit.ts). Prints 5-fold cross-validation by article on dev. Held-out and sealed questions are
 * never read here: `npm run bench:relevance` scores them.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Embedder } from '../embedding/embedder.js';
import { silentLogger } from '../logger.js';
import { type BankQuestion, readBank } from '../search/calibrate/bank.js';
import { collect } from '../search/calibrate/collect.js';
import {
  COST_DECLINED,
  chooseNeighbourGain,
  chooseThreshold,
  crossValidate,
  fitArticleModel,
  fitSentenceWeights,
  type Observation,
  topUnder,
} from '../search/calibrate/fit.js';
import { paramsFileName, shippedParamsDir } from '../search/params-store.js';
import { DEFAULT_PARAMS, type RelevanceParams } from '../search/pipeline/params.js';
import { SearchService } from '../search/search-service.js';
import { articleTexts, keptIndex } from './calibrate-run.js';

const { values } = parseArgs({
  options: {
    bank: { type: 'string', default: 'bench/questions/bank.json' },
    model: { type: 'string' },
    lexical: { type: 'boolean', default: false },
    out: { type: 'string' },
    backend: { type: 'string', default: 'vectra' },
  },
});
const model = values.model ?? process.env.EMBEDDING_MODEL ?? 'Xenova/all-MiniLM-L6-v2';
const lexicalOnly = values.lexical ?? false;
const out = values.out ?? path.join(shippedParamsDir(), lexicalOnly ? 'lexical.json' : paramsFileName(model));
const log = silentLogger();
const backend = values.backend === 'lancedb' ? 'lancedb' : 'vectra';

const archives = await readBank(path.resolve(values.bank ?? ''), articleTexts);
const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
// Fitting starts from the hand-set starting point (the fitted parts are replaced; the rest is kept).
let params: RelevanceParams = DEFAULT_PARAMS;
const indexes: Array<{ name: string; indexDir: string; questions: BankQuestion[] }> = [];
for (const archive of archives) {
  process.stderr.write(`Bringing the ${archive.name} index for ${path.basename(model)} up to date…\n`);
  const indexDir = await keptIndex({
    archive: archive.name,
    corpusDir: archive.corpusDir,
    model,
    embedder,
    backend,
    log,
  });
  indexes.push({
    name: archive.name,
    indexDir,
    questions: archive.questions.filter((q) => q.split === 'dev'),
  });
}

/** Every dev question asked with `current`. */
async function observe(current: RelevanceParams): Promise<Observation[]> {
  const all: Observation[] = [];
  for (const { name, indexDir, questions } of indexes) {
    const service = await SearchService.open({ indexDir, embedder, log, lexicalOnly, params: current });
    process.stderr.write(`Asking ${questions.length} dev questions on ${name}…\n`);
    all.push(...(await collect(service, questions)));
    await service.close();
  }
  return all;
}

const first = await observe(params);
const sentence = fitSentenceWeights(first);
const gain = chooseNeighbourGain(first, { ...params.sentence, weights: sentence });
params = { ...params, sentence: { ...params.sentence, weights: sentence, neighbourGain: gain.gain } };
const second = await observe(params);
const article = fitArticleModel(second);
const tops = second.map((o) => ({
  probability: topUnder(article, o)?.probability ?? 0,
  answerable: o.answerable,
}));
const threshold = chooseThreshold(tops);
const cv = crossValidate(second);
const answerable = second.filter((o) => o.answerable).length;
params = {
  ...params,
  fittedFor: `${path.basename(model)}${lexicalOnly ? ' (lexical only)' : ''}: fitted by npm run calibrate on ${answerable} answerable and ${second.length - answerable} off-topic dev questions of ${archives.map((a) => a.name).join(', ')}; threshold minimises ${COST_DECLINED} x answerable declined + off-topic answered (shares)`,
  article: { ...params.article, ...article },
  decide: { ...params.decide, threshold },
};
await writeFile(out, `${JSON.stringify(params, null, 2)}\n`);
await embedder.dispose();

console.log(`Sentence weights: ${JSON.stringify(sentence)}`);
console.log(
  `Neighbour gain: ${gain.gain} (the right article's quote holds the answer in ${gain.held}/${gain.groups} on dev)`,
);
console.log(`Article model: bias ${article.bias}, ${JSON.stringify(article.weights)}`);
console.log(`Decline threshold: ${threshold}`);
console.log(
  `5-fold CV on dev (by article): top quote holds the answer ${cv.rightFirst}/${cv.answerable}, answerable declined ${cv.declinedAnswerable}/${cv.answerable}, off-topic declined ${cv.offTopicDeclined}/${cv.offTopic}`,
);
console.log(`Wrote ${out}`);
