import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { formatDate, NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_ONLY } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { requireManageServer } from '../src/discord/preconditions.js';
import { UserFacingError } from '../src/errors.js';
import { type AddedSource, addLink, addUpload, UPLOAD_EXTENSIONS } from '../src/intake/add-source.js';
import { canonicalUrl } from '../src/intake/canonical-url.js';

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

  async execute(interaction, ctx, log) {
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
    const now = ctx.now();
    const added: AddedSource = file
      ? await addUpload(
          ctx.config.corpusDir,
          { name: file.name, url: file.url, size: file.size },
          living.uploadFetchPolicy,
          now,
        )
      : await addLink(
          ctx.config.corpusDir,
          {
            url: url as string,
            outlet: interaction.options.getString('outlet'),
            findExisting: existingByUrl(ctx),
          },
          living.pageFetchPolicy,
          now,
        );
    const { summary } = await living.ingestCorpus([added.source]);
    log.info({ source: added.source, articles: added.titles.length }, 'article added from Discord');
    const skipped = summary.skipped.filter(
      (s) => s.source === added.source || s.source.startsWith(`${added.source}#`),
    );
    const articles = ctx.search.articles.filter(
      (a) => a.source === added.source || a.source.startsWith(`${added.source}#`),
    );
    if (articles.length === 0)
      throw new UserFacingError(
        `Saved as \`${added.source}\`, but the archive did not take it: ${skipped.map((s) => s.reason).join('; ') || 'see the bot log'}.`,
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
      content: truncateWords(
        [`Added to the archive as \`${added.source}\`:`, ...lines].join('\n'),
        LIMITS.content,
      ),
      allowedMentions: NO_MENTIONS,
    });
  },
} satisfies Command;

/** An article already in the archive under this canonical url, named for a person. */
function existingByUrl(ctx: BotContext) {
  return (canonical: string): string | null => {
    const article = ctx.search.articles.find((a) => a.url && canonicalUrl(a.url) === canonical);
    return article ? `“${article.title}” (\`${article.source}\`)` : null;
  };
}
