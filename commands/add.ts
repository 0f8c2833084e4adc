import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { formatDate, NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_ONLY } from '../src/discord/command-scope.js';
import type { Command } from '../src/discord/context.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { requireManageServer } from '../src/discord/preconditions.js';
import { UserFacingError } from '../src/errors.js';
import { UPLOAD_EXTENSIONS } from '../src/intake/add-source.js';

export default {
  data: {
    name: 'add',
    description: 'Add an article to the archive: attach a file or give a link',
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...IN_SERVERS_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Attachment,
        name: 'file',
        description: `An article file (${UPLOAD_EXTENSIONS.join(', ')})`,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'url',
        description: 'A link to an article page',
        max_length: 500,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'outlet',
        description: 'Outlet for a link whose page names none',
        max_length: 100,
      },
    ],
  },

  async execute(interaction, ctx) {
    requireManageServer(interaction, 'Adding to the archive');
    const living = ctx.living;
    if (!living) throw new UserFacingError('Adding articles is not available in this bot.');
    const file = interaction.options.getAttachment('file');
    const url = interaction.options.getString('url')?.trim();
    if ((file ? 1 : 0) + (url ? 1 : 0) !== 1)
      throw new UserFacingError(
        'Attach one file (`file`) or give one link (`url`), not both and not neither.',
      );
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { source, articles, skipped } = await living.add(
      file
        ? { upload: { name: file.name, url: file.url, size: file.size } }
        : { link: { url: url ?? '', outlet: interaction.options.getString('outlet') } },
    );
    if (articles.length === 0)
      throw new UserFacingError(
        `Saved as \`${source}\`, but the archive did not take it: ${skipped.map((s) => s.reason).join('; ') || 'see the bot log'}.`,
      );
    const lines = articles
      .slice(0, 10)
      .map(
        (a) =>
          `• **${plain(a.title)}**, ${plain(a.outlet ?? 'outlet not recorded')}, ${a.date ? formatDate(a.date) : 'undated'}: ${a.passageCount} passage${a.passageCount === 1 ? '' : 's'}`,
      );
    if (articles.length > lines.length) lines.push(`…and ${articles.length - lines.length} more.`);
    if (skipped.length) lines.push(`Skipped ${skipped.length} record(s): ${plain(skipped[0]?.reason ?? '')}`);
    await interaction.editReply({
      content: truncateWords([`Added to the archive as \`${source}\`:`, ...lines].join('\n'), LIMITS.content),
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies Command;
