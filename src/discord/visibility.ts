import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';

/** The `public` option of commands whose reply is private unless asked otherwise (/status, /sources). */
export const PUBLIC_OPTION = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'public',
  description: 'Post it for everyone in the channel (default: only you see it)',
} as const;

/** Private (ephemeral) in a server unless `public: true`; in a DM there is no one else to see it. */
export function privateUnlessPublic(interaction: ChatInputCommandInteraction): {
  flags?: MessageFlags.Ephemeral;
} {
  const isPublic = interaction.options.getBoolean(PUBLIC_OPTION.name) ?? false;
  return interaction.inGuild() && !isPublic ? { flags: MessageFlags.Ephemeral } : {};
}
