/**
 * `npm run bench:digest`: how long same-story grouping keeps the event loop to itself, on a real corpus of
 * new articles (BENCH_DIGEST_CORPUS, default ../shared/corpora/bbc, 2,225 undated BBC articles, so the date
 * rule separates nothing) embedded with BENCH_DIGEST_MODEL (default test/models/use-static-128):
 * - every pair compared synchronously (the grouping before blocking and slicing) on the first
 *   BENCH_DIGEST_PAIRS_N articles (default 1,000),
 * - the blocked grouping on the same articles, synchronously and in slices (the longest event-loop stall),
 * - a digest build over all of them (capped at MAX_CANDIDATES), as /digest preview runs it.
 * The last stdout line is JSON.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DigestBuilder, MAX_CANDIDATES } from '../src/digest/build.js';
import { Embedder } from '../src/embedding/embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { SearchService } from '../src/search/search-service.js';
import { leadSentence } from '../src/stories/lead.js';
import {
  groupStories,
  groupStoriesInSlices,
  type StoryFeatures,
  sameStory,
} from '../src/stories/same-story.js';

const corpusDir = path.resolve(process.env.BENCH_DIGEST_CORPUS ?? '../shared/corpora/bbc');
const model = path.resolve(process.env.BENCH_DIGEST_MODEL ?? 'test/models/use-static-128');
const pairsN = Number(process.env.BENCH_DIGEST_PAIRS_N ?? 1000);
if (!existsSync(corpusDir)) {
  process.stderr.write(`No corpus at ${corpusDir}: set BENCH_DIGEST_CORPUS to a folder of articles.\n`);
  process.exit(1);
}
const log = silentLogger();
const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-bench-digest-'));
const ms = (t: number) => Math.round(performance.now() - t);

try {
  const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
  const indexDir = path.join(work, 'index');
  let t = performance.now();
  await ingest({ corpusDir, indexDir, maxFileBytes: 20 << 20, embedder, log });
  process.stderr.write(`ingested in ${ms(t)} ms\n`);
  const search = await SearchService.open({ indexDir, embedder, log });
  const articles = await search.views(search.articles.slice(0, pairsN).map((a) => a.id));
  const features: StoryFeatures[] = [];
  for (const a of articles) {
    const lead = leadSentence(a);
    features.push({
      title: a.title,
      lead: a.body.slice(lead.start, lead.end),
      date: a.meta.date,
      vector: await search.articleVector(a.id),
    });
  }

  // BENCH_DIGEST_ALL_PAIRS=0 skips the slow reference (minutes at 1,000 articles on a loaded machine).
  t = performance.now();
  let pairs = 0;
  const parent = features.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : find(parent[i] as number));
  if (process.env.BENCH_DIGEST_ALL_PAIRS !== '0')
    for (let i = 0; i < features.length; i++)
      for (let j = i + 1; j < features.length; j++) {
        if (sameStory(features[i] as StoryFeatures, features[j] as StoryFeatures)) parent[find(j)] = find(i);
        pairs++;
      }
  const allPairsMs = ms(t);
  const reference = new Map<number, number[]>();
  features.forEach((_, i) => {
    reference.set(find(i), [...(reference.get(find(i)) ?? []), i]);
  });

  t = performance.now();
  const blocked = groupStories(features, (f) => f);
  const blockedSyncMs = ms(t);

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let units = 0;
  t = performance.now();
  await groupStoriesInSlices(features, (f) => f, { onWork: (u) => (units += u) });
  const slicedMs = ms(t);
  delay.disable();

  const buildDelay = monitorEventLoopDelay({ resolution: 1 });
  buildDelay.enable();
  t = performance.now();
  const digest = await new DigestBuilder(search).build(
    { topic: null, outlet: null, maxItems: 25 },
    { since: new Date(0), until: new Date(Date.now() + 86_400_000) },
  );
  const buildMs = ms(t);
  buildDelay.disable();

  const result = {
    articles: articles.length,
    pairsN: features.length,
    allPairs: { comparisons: pairs, ms: allPairsMs, stories: pairs ? reference.size : null },
    blocked: {
      stories: blocked.length,
      sameStoriesAsAllPairs:
        pairs > 0
          ? JSON.stringify(blocked.map((g) => g.map((f) => features.indexOf(f)))) ===
            JSON.stringify([...reference.values()])
          : null,
      syncMs: blockedSyncMs,
      slicedMs,
      workUnits: units,
      longestStallMs: Math.round(delay.max / 1e6),
    },
    digestBuild: {
      newArticles: articles.length,
      cap: MAX_CANDIDATES,
      shown: digest.entries.length,
      more: digest.more,
      unsorted: digest.unsorted ?? 0,
      ms: buildMs,
      longestStallMs: Math.round(buildDelay.max / 1e6),
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
