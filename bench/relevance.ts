/**
 * Relevance check on the shipped corpus: builds an index with BENCH_RELEVANCE_MODEL (default
 * ../shared/models/use-static-128, the one local model whose vectors carry meaning), asks the on- and
 * off-topic questions of test/fixtures/questions.json and prints how often the top quote holds the answer
 * and how often off-topic questions are declined. Last stdout line: JSON.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { Embedder } from '../src/search/embedder.js';
import { SearchService } from '../src/search/search-service.js';

interface Questions {
  onTopic: Array<{ q: string; answer: string[] }>;
  offTopic: string[];
}

const model = process.env.BENCH_RELEVANCE_MODEL ?? path.resolve('../shared/models/use-static-128');
const corpusDir = process.env.CORPUS_DIR ?? 'corpus';
const verbose = process.argv.includes('--verbose');
const questions = JSON.parse(await readFile('test/fixtures/questions.json', 'utf8')) as Questions;
const indexDir = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-relevance-'));
const log = silentLogger();
try {
  const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
  await ingest({ corpusDir, indexDir, maxFileBytes: 20 * 1024 * 1024, embedder, log });
  const search = await SearchService.open({ indexDir, embedder, log });

  let top1 = 0;
  let top3 = 0;
  let answered = 0;
  for (const { q, answer } of questions.onTopic) {
    const { results } = await search.search(q, { limit: 3 });
    const holds = (quote: string | undefined) => quote !== undefined && answer.some((a) => quote.includes(a));
    if (results.length > 0) answered++;
    if (holds(results[0]?.quote)) top1++;
    if (results.some((r) => holds(r.quote))) top3++;
    if (verbose && !holds(results[0]?.quote)) {
      console.log(
        `MISS ${q}\n  want: ${answer[0]}\n  got (${results[0]?.score}): ${results[0]?.quote ?? '(no result)'}\n`,
      );
    }
  }
  let declined = 0;
  for (const q of questions.offTopic) {
    const { results } = await search.search(q, { limit: 3 });
    if (results.length === 0) declined++;
    else if (verbose)
      console.log(`ANSWERED OFF-TOPIC ${q}\n  got (${results[0]?.score}): ${results[0]?.quote}\n`);
  }
  const on = questions.onTopic.length;
  const off = questions.offTopic.length;
  console.log(
    `model ${path.basename(model)}: top quote holds the answer ${top1}/${on}, within top 3 ${top3}/${on}, answered ${answered}/${on}; off-topic declined ${declined}/${off}`,
  );
  console.log(
    JSON.stringify({
      model: path.basename(model),
      on_topic: on,
      top1_hits: top1,
      top3_hits: top3,
      answered,
      off_topic: off,
      declined,
    }),
  );
  await embedder.dispose();
} finally {
  await rm(indexDir, { recursive: true, force: true });
}
