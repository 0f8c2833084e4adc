import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { BotConfig } from '../config.js';

/**
 * The discord.js client: guild events for slash commands, direct messages (with the channel partial,
 * since DM channels are not cached before their first message), server messages for @mentions and
 * follow-up threads (Message Content only with DISCORD_THREAD_FOLLOWUPS: a message that mentions the bot
 * carries its content without it), REST at DISCORD_API_URL (the gateway is
 * discovered there through GET /gateway/bot), and no mention parsed unless a reply asks for one.
 */
export function createDiscordClient(config: Pick<BotConfig, 'discordApiUrl' | 'threadFollowups'>): Client {
  return new Client({
    intents: botIntents(config),
    partials: [Partials.Channel],
    rest: { api: config.discordApiUrl },
    allowedMentions: { parse: [] },
  });
}

/** Guilds and DMs always; server messages (mentions); Message Content only when follow-ups are on. */
export function botIntents(config: Pick<BotConfig, 'threadFollowups'>): GatewayIntentBits[] {
  return [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.DirectMessages,
    GatewayIntentBits.GuildMessages,
    ...(config.threadFollowups ? [GatewayIntentBits.MessageContent] : []),
  ];
}
