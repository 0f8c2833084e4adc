import { ApplicationIntegrationType, InteractionContextType } from 'discord.js';

/** Installed in servers; usable in a server and in a direct message with the bot. */
export const IN_SERVERS_AND_DMS = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

/** Installed in servers; usable only there. */
export const IN_SERVERS_ONLY = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};
