import { randomBytes } from 'node:crypto';
import { DiscordAPIError, type Interaction, MessageFlags } from 'discord.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { NO_MENTIONS } from './answer-format.js';

/** Discord error codes meaning the interaction can no longer be answered (expired or answered already). */
const GONE = new Set([10062, 10015, 40060]);

export function isInteractionGone(error: unknown): boolean {
  return error instanceof DiscordAPIError && GONE.has(Number(error.code));
}

/**
 * The one place interaction errors end. A UserFacingError reaches the person privately as written;
 * anything else is logged in full with an error id and the person sees a short apology with that id. An
 * interaction that expired is logged, not answered. Nothing here throws.
 */
export async function reportInteractionError(
  interaction: Interaction,
  error: unknown,
  log: Logger,
): Promise<void> {
  if (isInteractionGone(error)) {
    log.warn({ code: (error as DiscordAPIError).code }, 'interaction expired or was already answered');
    return;
  }
  let message: string;
  if (error instanceof UserFacingError) {
    message = error.message;
    log.info({ reason: error.message }, 'question refused');
  } else {
    const errorId = randomBytes(4).toString('hex');
    log.error({ err: error, errorId }, 'interaction failed');
    message = `Sorry, something went wrong on our side. If it happens again, give an admin this error id: \`${errorId}\`.`;
  }
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable()) return;
    const privately = {
      content: message,
      flags: MessageFlags.Ephemeral as const,
      allowedMentions: NO_MENTIONS,
    };
    if (!interaction.deferred && !interaction.replied) {
      await interaction.reply(privately);
    } else if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
      await interaction.editReply({
        content: message,
        embeds: [],
        components: [],
        allowedMentions: NO_MENTIONS,
      });
    } else {
      // A public "thinking…" must not stay behind, nor turn into an error everyone sees (the first
      // follow-up would fill it in, public). A button deferred as an update (`ephemeral` still null) has
      // no message of its own: its message is the answer it sits on, which stays.
      const ownPublicReply = !interaction.isMessageComponent() || interaction.ephemeral === false;
      if (interaction.deferred && !interaction.replied && ownPublicReply) {
        await interaction.deleteReply().catch(() => {});
      }
      await interaction.followUp(privately);
    }
  } catch (deliveryError) {
    log.warn({ err: deliveryError }, 'could not tell the person about the error');
  }
}
