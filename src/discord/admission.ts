import { type Interaction, MessageFlags } from 'discord.js';
import type { Logger } from '../logger.js';
import { NO_MENTIONS } from './answer-format.js';
import type { BotContext } from './context.js';
import type { Membership } from './guild-access.js';

export const REFUSALS = {
  server: 'Clipdesk is not available in this server: it answers only in its own newsroom’s servers.',
  stranger:
    'I answer only members of the newsroom’s Discord server. Ask me there, or ask an admin of that server to add you.',
  unknown:
    'I could not check just now that you are a member of the newsroom’s server. Please try again in a minute.',
} as const;

/** Why a direct message or DM interaction is refused, or null when the person may use the bot. */
export function dmRefusal(membership: Membership): string | null {
  return membership === 'member' ? null : REFUSALS[membership];
}

/**
 * DISCORD_ALLOWED_GUILDS at the door: an interaction from another server, or from a DM by someone who is
 * not a member of an allowed server, gets a short private refusal (an autocomplete gets no choices) and
 * goes no further. Returns whether the interaction may proceed.
 */
export async function admitInteraction(
  interaction: Interaction,
  ctx: BotContext,
  log: Logger,
): Promise<boolean> {
  if (!ctx.access.restricted) return true;
  const refusal = interaction.guildId
    ? ctx.access.allowsGuild(interaction.guildId)
      ? null
      : REFUSALS.server
    : dmRefusal(await ctx.access.membership(interaction.user.id));
  if (!refusal) return true;
  log.warn(
    { userId: interaction.user.id, guildId: interaction.guildId, refusal },
    'interaction refused: not an allowed server or member',
  );
  if (interaction.isAutocomplete()) await interaction.respond([]);
  else if (interaction.isRepliable())
    await interaction.reply({
      content: refusal,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  return false;
}
