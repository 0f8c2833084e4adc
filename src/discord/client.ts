import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { BotConfig } from '../config.js';

/**
 * The discord.js client: guild events for slash commands, direct messages (with the channel partial,
 * since DM channels are not cached before their first message), REST at DISCORD_API_URL (the gateway is
 * discovered there through GET /gateway/bot), and no mention parsed unless a reply asks for one.
 */
export function createDiscordClient(config: Pick<BotConfig, 'discordApiUrl'>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: { api: config.discordApiUrl },
    allowedMentions: { parse: [] },
  });
}
