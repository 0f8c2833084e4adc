/**
 * `npx tsx bench/discord-ab.ts <checkout> [<checkout> ...]`: the Discord run of `npm run bench` (200 /ask
 * over 20 s against the stand-in) on one index, for the bot of each checkout in turn (BENCH_AB_ROUNDS
 * rounds, alternating, so that the machine's load falls on each alike). Compares two versions of the bot
 * without the ingest-speed part of `npm run bench`. The index is built once by this checkout's ingest.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Embedder } from '../src/embedding/embedder.js';
import { ingest } from '../src/ingest/ingest.js';
import { silentLogger } from '../src/logger.js';
import { chooseBenchModel } from './bench-model.js';
import { buildBenchCorpus } from './corpus-builder.js';
import { runDiscordBench } from './discord.js';

const checkouts = process.argv.slice(2).map((p) => path.resolve(p));
if (checkouts.length === 0) throw new Error('usage: npx tsx bench/discord-ab.ts <checkout> [<checkout> ...]');
const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 2);
const here = process.cwd();
const { model } = chooseBenchModel(process.env, here);
const work = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-ab-'));
const corpusDir = path.join(work, 'corpus');
const indexDir = path.join(work, 'index');
await buildBenchCorpus(
  path.resolve('corpus'),
  corpusDir,
  Math.ceil(Number(process.env.BENCH_PASSAGES ?? 2000) / 60),
);
const embedder = await Embedder.load({ model, dtype: 'q8', cacheDir: path.resolve('.clipdesk/models') });
await ingest({ corpusDir, indexDir, maxFileBytes: 10 * 1024 * 1024, embedder, log: silentLogger() });
await embedder.dispose();
const fixture = JSON.parse(await readFile('test/fixtures/questions.json', 'utf8')) as {
  onTopic: Array<{ q: string }>;
  offTopic: string[];
};
const questions = [...fixture.onTopic.map((x) => x.q), ...fixture.offTopic];
for (let round = 1; round <= rounds; round++) {
  for (const checkout of checkouts) {
    process.chdir(checkout);
    const f = await runDiscordBench({ corpusDir, indexDir, model, dtype: 'q8', questions });
    console.log(
      `round ${round} ${checkout}: ${f.discord_answered}/${f.discord_interactions} answered; p50 ${f.discord_p50_ms} ms, p95 ${f.discord_p95_ms} ms, max ${f.discord_max_ms} ms; heartbeats late p95 ${f.heartbeat_delay_p95_ms} ms, missed ${f.heartbeats_missed}`,
    );
    process.chdir(here);
  }
}
