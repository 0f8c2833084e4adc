import { ApplicationIntegrationType, InteractionContextType, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import type { Command } from '../src/discord/context.js';
import { helpEmbed } from '../src/discord/help-text.js';

export default {
  data: {
    name: 'help',
    description: 'What Clipdesk does and how to ask it well',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  },

  async execute(interaction) {
    await interaction.reply({
      embeds: [helpEmbed()],
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies Command;
