import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  PermissionFlagsBits,
} from 'discord.js';
import { UserFacingError } from '../errors.js';

/**
 * Permission checks made by the bot itself, whatever `default_member_permissions` says: server admins can
 * open a command to everyone in Server Settings > Integrations, and a stale global deploy can offer a
 * command in DMs. A failed check throws a UserFacingError, which the router sends privately.
 */

/** `action` needs Manage Server in this server; in a DM there is no server to manage, so it is refused. */
export function requireManageServer(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  action: string,
): void {
  if (!interaction.inGuild()) {
    throw new UserFacingError(
      `${action} works only in a server, by members with the Manage Server permission.`,
    );
  }
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    throw new UserFacingError(`${action} needs the Manage Server permission in this server.`);
  }
}

/** Whether the member may manage this server (false in a DM). */
export function canManageServer(interaction: ChatInputCommandInteraction | AutocompleteInteraction): boolean {
  return (
    interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true
  );
}
