import { MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { Command } from '../src/discord/context.js';
import { helpEmbed } from '../src/discord/help-text.js';

export default {
  data: {
    name: 'help',
    description: 'What Clipdesk does and how to ask it well',
    ...IN_SERVERS_AND_DMS,
  },

  async execute(interaction) {
    await interaction.reply({
      embeds: [helpEmbed()],
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies Command;
