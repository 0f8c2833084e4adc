import { REST, type RESTPutAPIApplicationCommandsResult, Routes } from 'discord.js';
import type { BotConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Command } from './context.js';

/**
 * Registers the commands with Discord: to one guild when DISCORD_GUILD_ID is set (instant, for trying the
 * bot), else globally. A bulk overwrite, so removed commands disappear too. Run it when commands change,
 * not on every start: Discord limits command creations per day.
 */
export async function deployCommands(
  config: Pick<BotConfig, 'discordToken' | 'discordClientId' | 'discordGuildId' | 'discordApiUrl'>,
  commands: Command[],
): Promise<{ scope: string; deployed: RESTPutAPIApplicationCommandsResult }> {
  if (!config.discordClientId) {
    throw new ConfigError([
      'DISCORD_CLIENT_ID: is required to deploy commands (the application id in the Discord developer portal)',
    ]);
  }
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken);
  const body = commands.map((c) => c.data);
  const route = config.discordGuildId
    ? Routes.applicationGuildCommands(config.discordClientId, config.discordGuildId)
    : Routes.applicationCommands(config.discordClientId);
  const deployed = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return {
    scope: config.discordGuildId
      ? `guild ${config.discordGuildId}`
      : 'all guilds (global; may take up to an hour to appear)',
    deployed,
  };
}
