import path from 'node:path';
import { type DiscordStandIn, startDiscordStandIn } from '../../playground/discord-standin/index.js';
import type { StandInOptions } from '../../playground/discord-standin/types.js';
import { type BotOptions, type RunningBot, startBot } from '../../src/app.js';
import { type BotConfig, loadBotConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { testEmbedder, testModelPath } from './models.js';
import { copyOfShippedCorpus, tempDir } from './temp.js';

export interface BotHarness {
  discord: DiscordStandIn;
  bot: RunningBot;
  config: Readonly<BotConfig>;
  corpusDir: string;
  /** Moves the injected clock forward. */
  advance(ms: number): void;
  /** Stops the bot and starts a new one with the same config and data (a process restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real bot (real discord.js client, real search on use-static-128, stores in temp folders) connected
 * to the local Discord stand-in, with a clock the test controls.
 */
export async function startHarness(
  options: {
    env?: Record<string, string>;
    standIn?: StandInOptions;
    corpusDir?: string;
    bot?: Partial<BotOptions>;
  } = {},
): Promise<BotHarness> {
  let clock = Date.parse('2026-11-20T09:00:00Z');
  const now = () => clock;
  const discord = await startDiscordStandIn({
    heartbeatIntervalMs: 2000,
    now,
    users: [{ username: 'alice' }, { username: 'bob' }, { username: 'carol' }, { username: 'dave' }],
    guilds: [
      { name: 'Newsroom', channels: [{ name: 'general' }, { name: 'desk' }, { name: 'archive-alerts' }] },
    ],
    ...options.standIn,
  });
  const work = await tempDir('clipdesk-bot-');
  const corpusDir = options.corpusDir ?? (await copyOfShippedCorpus());
  const config = loadBotConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_API_URL: discord.restUrl,
    CORPUS_DIR: corpusDir,
    INDEX_DIR: path.join(work, 'index'),
    DATA_DIR: path.join(work, 'data'),
    EMBEDDING_MODEL: testModelPath('use-static-128'),
    // Feeds and the folder watcher stay off unless a test turns them on; the feeds file is the test's own.
    FEEDS_FILE: path.join(work, 'feeds.json'),
    FEEDS_POLL: '0',
    CORPUS_WATCH: '0',
    ...options.env,
  });
  const embedder = await testEmbedder('use-static-128');
  const launch = async () => {
    const bot = await startBot({
      config,
      log: silentLogger(),
      embedder,
      now: () => new Date(clock),
      ...options.bot,
    });
    // The bot brings the index in line with the corpus in the background at start: tests begin once it
    // has, so that the files they write and the clock they move are theirs alone.
    await bot.ctx.living?.reconciled;
    return bot;
  };
  const harness: BotHarness = {
    discord,
    bot: await launch(),
    config,
    corpusDir,
    advance(ms) {
      clock += ms;
    },
    async restart() {
      await harness.bot.stop();
      harness.bot = await launch();
    },
    async stop() {
      await harness.bot.stop();
      await discord.close();
    },
  };
  await discord.waitForReady();
  return harness;
}

/** A string option as Discord sends it. */
export const str = (name: string, value: string, focused?: boolean) => ({
  name,
  type: 3,
  value,
  ...(focused ? { focused } : {}),
});
export const int = (name: string, value: number) => ({ name, type: 4, value });
export const bool = (name: string, value: boolean) => ({ name, type: 5, value });
export const chan = (name: string, value: string) => ({ name, type: 7, value });
