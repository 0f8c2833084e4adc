/**
 * The Discord run of `npm run bench`: the real bot process (src/index.ts) against the local Discord
 * stand-in, which dispatches BENCH_DISCORD_INTERACTIONS /ask interactions (default 200) evenly over
 * BENCH_DISCORD_SECONDS (default 20). Reports latency from dispatch to the final reply and how late the
 * bot's gateway heartbeats arrived under that load.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startDiscordStandIn } from '../playground/discord-standin/index.js';

export interface DiscordBenchOptions {
  corpusDir: string;
  indexDir: string;
  model: string;
  dtype: 'q8' | 'fp32';
  questions: string[];
  interactions?: number;
  seconds?: number;
}

export interface DiscordBenchFigures {
  discord_interactions: number;
  discord_answered: number;
  discord_p50_ms: number;
  discord_p95_ms: number;
  discord_max_ms: number;
  heartbeat_interval_ms: number;
  heartbeats: number;
  heartbeat_delay_p95_ms: number;
  heartbeat_delay_max_ms: number;
  heartbeats_missed: number;
}

const HEARTBEAT_MS = 1000;

export async function runDiscordBench(options: DiscordBenchOptions): Promise<DiscordBenchFigures> {
  const count = options.interactions ?? 200;
  const seconds = options.seconds ?? 20;
  const discord = await startDiscordStandIn({ heartbeatIntervalMs: HEARTBEAT_MS });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clipdesk-bench-data-'));
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: {
      PATH: process.env.PATH,
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.restUrl,
      CORPUS_DIR: options.corpusDir,
      INDEX_DIR: options.indexDir,
      DATA_DIR: dataDir,
      EMBEDDING_MODEL: options.model,
      EMBEDDING_DTYPE: options.dtype,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await Promise.race([discord.waitForReady(120_000), exited(bot)]);
    // Settle: the first heartbeat after READY comes at a random fraction of the interval.
    await sleep(2 * HEARTBEAT_MS);
    const loadStart = Date.now();
    const gap = (seconds * 1000) / count;
    const pending: Array<Promise<number | null>> = [];
    for (let i = 0; i < count; i++) {
      const due = loadStart + i * gap;
      await sleep(due - Date.now());
      const dispatchedAt = Date.now();
      const handle = discord.sendCommand({
        name: 'ask',
        userIdx: i % 2,
        options: [
          { name: 'question', type: 3, value: options.questions[i % options.questions.length] as string },
        ],
      });
      pending.push(
        handle.waitForFinalReply(60_000).then(
          (reply) => (reply.editedAt ?? reply.createdAt) - dispatchedAt,
          () => null,
        ),
      );
    }
    const latencies = await Promise.all(pending);
    const loadEnd = Date.now();
    const answered = latencies.filter((l): l is number => l !== null).sort((a, b) => a - b);
    const beats = discord.heartbeats.filter((b) => b.at >= loadStart && b.at <= loadEnd && b.sinceLastMs > 0);
    const delays = beats.map((b) => b.sinceLastMs - HEARTBEAT_MS).sort((a, b) => a - b);
    return {
      discord_interactions: count,
      discord_answered: answered.length,
      discord_p50_ms: percentile(answered, 50),
      discord_p95_ms: percentile(answered, 95),
      discord_max_ms: answered.at(-1) ?? 0,
      heartbeat_interval_ms: HEARTBEAT_MS,
      heartbeats: beats.length,
      heartbeat_delay_p95_ms: percentile(delays, 95),
      heartbeat_delay_max_ms: delays.at(-1) ?? 0,
      // A heartbeat later than half an interval would, on Discord, risk a zombie-connection close.
      heartbeats_missed: delays.filter((d) => d > HEARTBEAT_MS / 2).length,
    };
  } finally {
    bot.kill('SIGTERM');
    await exited(bot).catch(() => {});
    await discord.close();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function exited(child: ChildProcess): Promise<never> {
  return new Promise((_, reject) => {
    if (child.exitCode !== null) reject(new Error(`the bot exited with code ${child.exitCode}`));
    child.once('exit', (code) => reject(new Error(`the bot exited with code ${code}`)));
  });
}
