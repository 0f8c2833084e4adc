import { type ChatInputCommandInteraction, PermissionFlagsBits } from 'discord.js';
import { UserFacingError } from '../errors.js';

/**
 * Checked when the command runs, not only through `default_member_permissions`, which a server admin can
 * change in Server Settings > Integrations: changing the corpus or the feeds stays a Manage Server decision.
 */
export function requireManageServer(interaction: ChatInputCommandInteraction, what: string): void {
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
    throw new UserFacingError(`${what} needs the Manage Server permission in this server.`);
}
