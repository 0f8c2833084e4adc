import type { Client } from 'discord.js';
import { commands } from '../commands/index.js';
import type { BotConfig } from './config.js';
import { ScopeStore } from './desk/scope-store.js';
import { ThreadStore } from './desk/thread-store.js';
import { DeskTrail } from './desk/trail.js';
import { DigestBuilder } from './digest/build.js';
import { DigestScheduler } from './digest/scheduler.js';
import { SubscriptionStore } from './digest/store.js';
import { AnswerStore } from './discord/answer-store.js';
import { createDiscordClient } from './discord/client.js';
import type { BotContext } from './discord/context.js';
import { createGuildMessageHandler } from './discord/desk.js';
import { createDigestDelivery } from './discord/digest-delivery.js';
import { createDirectMessageHandler } from './discord/direct-messages.js';
import { FeedbackStore } from './discord/feedback-store.js';
import { GuildAccess, leaveOtherGuilds } from './discord/guild-access.js';
import { createInteractionRouter } from './discord/router.js';
import { Embedder } from './embedding/embedder.js';
import { ingest } from './ingest/ingest.js';
import { LivingArchive } from './living-archive.js';
import type { Logger } from './logger.js';
import { openOrBuildIndex } from './open-index.js';
import { readVersion } from './version.js';

export interface BotOptions {
  config: Readonly<BotConfig>;
  log: Logger;
  /** An embedder already loaded (tests share one); loaded from the config otherwise. */
  embedder?: Embedder;
  /** Injected clock. */
  now?: () => Date;
  /** Run digests on their own timer (default); tests drive the scheduler with an injected clock instead. */
  startScheduler?: boolean;
  /** Told the work a digest build does, slice by slice (tests move their clock with it). */
  onDigestWork?: (units: number) => void;
  /** Watch the corpus folder and poll feeds (default); tests drive them by hand instead. */
  startLivingArchive?: boolean;
}

export interface RunningBot {
  client: Client;
  ctx: BotContext;
  stop(): Promise<void>;
}

/**
 * Composition root of the bot: model and index (loaded once; built first if missing), stores, the Discord
 * client with its interaction router and DM handler, then login.
 */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, log } = options;
  const now = options.now ?? (() => new Date());
  const embedder =
    options.embedder ??
    (await Embedder.load({
      model: config.embeddingModel,
      dtype: config.embeddingDtype,
      cacheDir: config.modelCacheDir,
      hubUrl: config.hubUrl,
      onNote: (note) => log.info({ model: config.embeddingModel }, note),
    }));
  const search = await openOrBuildIndex({ config, embedder, log: log.child({ module: 'ingest' }), now });
  const client = createDiscordClient(config);
  const access = new GuildAccess(
    client,
    config.discordAllowedGuilds,
    () => now().getTime(),
    log.child({ module: 'access' }),
  );
  warnAboutAccess(config, log);
  leaveOtherGuilds(client, access, log.child({ module: 'access' }));
  const delivery = createDigestDelivery(client, log.child({ module: 'digest' }), access);
  const digestStore = await SubscriptionStore.open(config.dataDir, {
    log: log.child({ module: 'digest' }),
    now,
  });
  // Issue 18: channel scopes (which every digest posted in a channel stays within) and follow-up threads.
  const scopes = await ScopeStore.open(config.dataDir, { log: log.child({ module: 'desk' }), now });
  const threads = await ThreadStore.open(config.dataDir, { log: log.child({ module: 'desk' }), now });
  const channelScope = (channelId: string) => scopes.scopeOf(channelId);
  const scheduler = new DigestScheduler({
    store: digestStore,
    builder: new DigestBuilder(search, { onWork: options.onDigestWork, channelScope }),
    poster: delivery.poster,
    notifyPaused: delivery.notifyPaused,
    now,
    log: log.child({ module: 'digest' }),
    maxFailures: config.digestMaxFailures,
    lookbackHours: config.digestLookbackHours,
  });
  // --- Issue 10: feeds, the watched corpus folder, /add and instant alerts ---
  const living = await LivingArchive.open({
    config,
    log,
    search,
    now,
    reindex: async (changed, ingestOptions) => {
      const result = await ingest({
        corpusDir: config.corpusDir,
        indexDir: config.indexDir,
        maxFileBytes: config.maxFileBytes,
        backend: config.indexBackend,
        changed,
        verifyIndex: ingestOptions?.verifyIndex,
        embedder,
        log: log.child({ module: 'ingest' }),
        now,
      });
      await search.refresh();
      return result;
    },
    digests: {
      store: digestStore,
      builder: new DigestBuilder(search, { channelScope }),
      deliver: delivery.deliver,
      notifyPaused: delivery.notifyPaused,
    },
  });
  const ctx: BotContext = {
    config,
    log,
    search,
    answers: await AnswerStore.open(config.dataDir, now(), log.child({ module: 'answers' })),
    feedback: new FeedbackStore(config.dataDir),
    // Every ingest (/reindex, feeds, the watched folder, /add) goes through the living archive's seam.
    reindex: (options) => living.ingestCorpus(undefined, options),
    living,
    startedAt: now(),
    version: readVersion(),
    now,
    digests: { store: digestStore, scheduler },
    access,
    desk: { scopes, threads, trail: new DeskTrail(config.dataDir) },
  };

  const route = createInteractionRouter(commands, ctx);
  const onDirectMessage = createDirectMessageHandler(ctx);
  const onServerMessage = createGuildMessageHandler(ctx);
  const gateway = log.child({ module: 'gateway' });
  client.on('interactionCreate', (interaction) => void route(interaction));
  client.on('messageCreate', (message) => {
    if (message.inGuild()) void onServerMessage(message);
    else void onDirectMessage(message);
  });
  client.on('error', (error) => gateway.error({ err: error }, 'client error'));
  client.on('warn', (message) => gateway.warn(message));
  client.on('shardDisconnect', (event, shard) =>
    gateway.warn({ code: event.code, shard }, 'gateway disconnected'),
  );
  client.on('shardReconnecting', (shard) => gateway.info({ shard }, 'gateway reconnecting'));
  client.on('shardResume', (shard, replayed) => gateway.info({ shard, replayed }, 'gateway resumed'));
  const ready = new Promise<void>((resolve) =>
    client.once('clientReady', (c) => {
      gateway.info({ user: c.user.tag, guilds: c.guilds.cache.size }, 'connected to Discord');
      resolve();
    }),
  );
  await client.login(config.discordToken);
  await ready;
  // After login, so that digests missed while the bot was down are caught up (once) and can be posted.
  if (options.startScheduler !== false) scheduler.start();
  if (options.startLivingArchive !== false) await living.start();
  return {
    client,
    ctx,
    async stop() {
      scheduler.stop();
      await living.stop();
      await client.destroy();
      // The index's open files (a restart in the same process would otherwise leave them to the GC).
      await search.close();
      if (!options.embedder) await embedder.dispose();
    },
  };
}

/** Says at start who can read the archive: the allowed servers, or (plainly, as a warning) everyone. */
function warnAboutAccess(config: Readonly<BotConfig>, log: Logger): void {
  if (config.discordAllowedGuilds) {
    log.info(
      { allowedGuilds: config.discordAllowedGuilds },
      'answering only in DISCORD_ALLOWED_GUILDS and DMs from their members',
    );
  } else {
    log.warn(
      'DISCORD_ALLOWED_GUILDS is not set: every server the bot joins, and anyone who DMs it, can read the whole archive. Set it to your servers’ ids.',
    );
  }
}
