/**
 * `npx tsx bench/relevance-misses.ts [--held-out] [--lexical] [--quiet] [--json FILE]`: the development questions' misses on
 * both corpora for the primary model (hybrid), grouped by cause, for relevance work: the right article
 * first with a quote that does not hold the answer; another article first; an off-topic question
 * answered. Also times each question's search (p50/p95), in this one process. Uses the indexes
 * `npm run bench:relevance` keeps (brought up to date the same way).
 */
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger } from '../src/logger.js';
import { Embedder } from '../src/embedding/embedder.js';
import { SearchService } from '../src/search/search-service.js';
import { benchBackend, readQuestions, relevanceIndex, rightArticle } from './relevance-shared.js';

const set = process.argv.includes('--held-out') ? 'held-out' : 'dev';
const jsonAt = process.argv.indexOf('--json');
const jsonFile = jsonAt > 0 ? process.argv[jsonAt + 1] : undefined;
const quiet = process.argv.includes('--quiet');
const lexicalOnly = process.argv.includes('--lexical');
const log = silentLogger();
const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );
const model = process.env.BENCH_RELEVANCE_MODEL ?? path.resolve('../shared/models/use-static-128');
const corpora = [{ name: 'five articles', dir: 'corpus', file: 'questions.json' }];
const bbc = path.resolve('../shared/corpora/bbc');
if (await exists(bbc)) corpora.push({ name: 'BBC', dir: bbc, file: 'bbc-questions.json' });
const backend = benchBackend();
const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
const record: Record<string, unknown[]> = {};
for (const corpus of corpora) {
  const qs = await readQuestions(corpus.file);
  const indexDir = await relevanceIndex({
    corpusName: corpus.name,
    corpusDir: corpus.dir,
    model,
    embedder,
    backend,
    log,
  });
  const search = await SearchService.open({ indexDir, embedder, log, lexicalOnly });
  const bodies = new Map(
    (await search.views(search.articles.map((a) => a.id))).map((a) => [a.meta.source, a.body]),
  );
  const groups = { wrongQuote: [] as string[], otherArticle: [] as string[], offTopic: [] as string[] };
  let answered = 0;
  let first = 0;
  let declined = 0;
  const times: number[] = [];
  const rows: unknown[] = [];
  const onTopic = qs.onTopic.filter((x) => x.set === set);
  for (const { q, answer, file } of onTopic) {
    const t0 = performance.now();
    const results = (await search.search(q, { limit: 5 })).results;
    times.push(performance.now() - t0);
    const top = results[0];
    const holds = top !== undefined && answer.some((a) => top.quote.includes(a));
    const right = (r: (typeof results)[number]) => rightArticle(r, file, answer, bodies);
    const rightFirst = top !== undefined && right(top);
    if (holds) answered++;
    if (rightFirst) first++;
    rows.push({ q, file, holds, rightFirst, top: top?.source, quote: top?.quote });
    if (holds) continue;
    const rank = results.findIndex(right);
    const line = `${q}\n    want: ${answer.join(' | ')}${file ? ` (${file})` : ''}\n    got: ${top?.source ?? '-'}: ${top?.quote.replace(/\s+/g, ' ') ?? '(nothing)'}${!rightFirst && rank > 0 ? `\n    right article at rank ${rank + 1}: ${results[rank]?.quote.replace(/\s+/g, ' ')}` : ''}`;
    (rightFirst ? groups.wrongQuote : groups.otherArticle).push(line);
  }
  for (const q of set === 'dev' ? qs.offTopic : qs.offTopicHeldOut) {
    const t0 = performance.now();
    const top = (await search.search(q, { limit: 1 })).results[0];
    times.push(performance.now() - t0);
    if (!top) declined++;
    else groups.offTopic.push(`${q}\n    got: ${top.source}: ${top.quote.replace(/\s+/g, ' ')}`);
    rows.push({ q, offTopic: true, declined: !top, top: top?.source, quote: top?.quote });
  }
  record[corpus.name] = rows;
  await search.close();
  const offCount = (set === 'dev' ? qs.offTopic : qs.offTopicHeldOut).length;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]?.toFixed(1);
  if (!quiet)
    for (const [name, lines] of Object.entries(groups)) {
      console.log(`\n## ${corpus.name} ${set}: ${name} (${lines.length})`);
      for (const line of lines) console.log(`- ${line}`);
    }
  console.log(
    `\n${corpus.name} ${set}: top quote ${answered}/${onTopic.length}, right article first ${first}/${onTopic.length}, declined ${declined}/${offCount}; search p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`,
  );
}
if (jsonFile) await writeFile(jsonFile, JSON.stringify(record, null, 1));
await embedder.dispose();
