/**
 * `npx tsx bench/relevance-diagnose.ts [--archive NAME] [--split dev]`: where each missed question of the
 * bank is lost: the right article not among the candidates, among them but not ranked first, first but
 * declined, or first with a quote that misses the answer. Dev by default (diagnose on what you fit on).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { articleTexts, keptIndex } from '../src/cli/calibrate-run.js';
import { Embedder } from '../src/embedding/embedder.js';
import { silentLogger } from '../src/logger.js';
import { holdsAnswer, readBank } from '../src/search/calibrate/bank.js';
import { readParamsFile } from '../src/search/pipeline/params.js';
import { SearchService } from '../src/search/search-service.js';

const { values } = parseArgs({
  options: {
    bank: { type: 'string', default: 'bench/questions/bank.json' },
    archive: { type: 'string' },
    split: { type: 'string', default: 'dev' },
    params: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const log = silentLogger();
const shared = path.resolve('../shared/models/use-static-128');
const model =
  process.env.BENCH_RELEVANCE_MODEL ??
  (existsSync(shared) ? shared : path.resolve('test/models/use-static-128'));
const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
for (const archive of await readBank(path.resolve(values.bank ?? ''), articleTexts)) {
  if (values.archive && archive.name !== values.archive) continue;
  const indexDir = await keptIndex({
    archive: archive.name,
    corpusDir: archive.corpusDir,
    model,
    embedder,
    backend: 'vectra',
    log,
  });
  const search = await SearchService.open({
    indexDir,
    embedder,
    log,
    params: values.params ? await readParamsFile(values.params) : undefined,
  });
  const counts = { right: 0, notCandidate: 0, notFirst: 0, declined: 0, wrongQuote: 0 };
  for (const q of archive.questions.filter((x) => x.split === values.split && x.answers)) {
    const run = await search.explain(q.q, { limit: 3 });
    const files = new Set(q.files);
    const top = run.results[0];
    const rank = run.scored.findIndex((s) => files.has(run.reads.view(s.hit.articleId).meta.source));
    let kind: keyof typeof counts;
    if (top && holdsAnswer(top.quote, q.answers ?? [])) kind = 'right';
    else if (rank < 0) kind = 'notCandidate';
    else if (rank > 0) kind = 'notFirst';
    else if (!top) kind = 'declined';
    else kind = 'wrongQuote';
    counts[kind]++;
    if (values.verbose && kind !== 'right') {
      const s = rank >= 0 ? run.scored[rank] : undefined;
      console.log(
        `${kind.toUpperCase()} ${q.q}\n  want: ${q.answers?.[0]} in ${q.files.join(', ')} (rank ${rank}${s ? `, p ${s.probability.toFixed(3)}, ${JSON.stringify(s.features)}` : ''})\n  got: ${top ? `${top.source} p ${top.score}: ${top.quote.slice(0, 200)}` : '(declined)'}\n`,
      );
    }
  }
  console.log(`${archive.name} ${values.split}: ${JSON.stringify(counts)}`);
  await search.close();
}
await embedder.dispose();
