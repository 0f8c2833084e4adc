import { type Interaction, MessageFlags } from 'discord.js';
import { admitInteraction } from './admission.js';
import { NO_MENTIONS } from './answer-format.js';
import type { BotContext, Command } from './context.js';
import { reportInteractionError } from './errors.js';

/** What a button that no longer means anything (unknown, malformed or out of range) answers, privately. */
export const BUTTON_EXPIRED = 'This button has expired. Run the command again for a fresh answer.';

/**
 * Routes interactions to commands (slash commands and autocomplete by name, buttons by custom-id prefix),
 * with one child logger per interaction and every failure ending in reportInteractionError.
 */
export function createInteractionRouter(
  commands: Command[],
  ctx: BotContext,
): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byPrefix = new Map(commands.filter((c) => c.buttons).map((c) => [c.buttons?.prefix as string, c]));

  return async (interaction) => {
    const command =
      interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : undefined;
    const customId = interaction.isButton() ? interaction.customId : undefined;
    const log = ctx.log.child({
      interactionId: interaction.id,
      command: command ?? customId?.split(':')[0],
      guildId: interaction.guildId,
    });
    try {
      if (!(await admitInteraction(interaction, ctx, log))) return;
      if (interaction.isChatInputCommand()) {
        const handler = byName.get(interaction.commandName);
        if (!handler) {
          log.warn('unknown command (deployed commands out of date? run npm run deploy-commands)');
          return;
        }
        log.debug('command');
        await handler.execute(interaction, ctx, log);
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
      } else if (interaction.isButton()) {
        const owner = byPrefix.get(interaction.customId.split(':')[0] ?? '');
        if (!owner?.buttons) {
          log.warn({ customId: interaction.customId }, 'button with an unknown custom id');
          await interaction.reply({
            content: BUTTON_EXPIRED,
            flags: MessageFlags.Ephemeral,
            allowedMentions: NO_MENTIONS,
          });
          return;
        }
        await owner.buttons.handle(interaction, ctx, log);
      }
    } catch (error) {
      await reportInteractionError(interaction, error, log);
    }
  };
}
