import { type APIEmbed, ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord.js';
import { formatDate, NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { Command } from '../src/discord/context.js';
import { checkedCustomId } from '../src/discord/custom-ids.js';
import { scopeIn } from '../src/discord/desk.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { outletChoices, outletKey } from '../src/discord/outlets.js';
import { PUBLIC_OPTION, privateUnlessPublic } from '../src/discord/visibility.js';
import { UserFacingError } from '../src/errors.js';
import { describeScope, inScope } from '../src/search/scope.js';

const PER_PAGE = 10;

interface Listed {
  /** Corpus-relative file, shown when there is no url so that an editor can find the article. */
  source: string;
  title: string;
  outlet: string | null;
  date: string | null;
  url: string | null;
}

export default {
  data: {
    name: 'sources',
    description: "The archive's articles, newest first",
    ...IN_SERVERS_AND_DMS,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'outlet',
        description: 'Only this outlet',
        autocomplete: true,
      },
      { type: ApplicationCommandOptionType.Integer, name: 'page', description: 'Page number', min_value: 1 },
      PUBLIC_OPTION,
    ],
  },

  async execute(interaction, ctx) {
    const typed = interaction.options.getString('outlet');
    const outlet = typed ? ctx.search.canonicalOutlet(typed) : null;
    if (typed && !outlet) throw new UserFacingError(`No article in the archive is from "${typed}".`);
    const page = (interaction.options.getInteger('page') ?? 1) - 1;
    const scope = interaction.inGuild()
      ? await scopeIn(ctx, interaction.client, interaction.channelId)
      : null;
    const articles = scope ? ctx.search.articles.filter((a) => inScope(a, scope)) : ctx.search.articles;
    if (scope && outlet && !articles.some((a) => a.outlet === outlet))
      throw new UserFacingError(
        `This channel sees only ${describeScope(scope)}: outlet ${outlet} is outside it. A filter can narrow the channel's scope, not widen it.`,
      );
    await interaction.reply({
      ...renderSources(articles, outlet, page, scope ? describeScope(scope) : null),
      ...privateUnlessPublic(interaction),
    });
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(outletChoices(ctx.search.articles, interaction.options.getFocused()));
  },

  buttons: {
    prefix: 'src',
    async handle(interaction, ctx) {
      const [, pageText, ...rest] = interaction.customId.split(':');
      const key = rest.join(':');
      const outlets = [
        ...new Set(ctx.search.articles.map((a) => a.outlet).filter((o): o is string => o !== null)),
      ];
      const outlet = key === '' ? null : (outlets.find((o) => outletKey(o) === key) ?? null);
      if (key !== '' && !outlet)
        throw new UserFacingError('That outlet is no longer in the archive. Run `/sources` again.');
      const scope = interaction.inGuild()
        ? await scopeIn(ctx, interaction.client, interaction.channelId)
        : null;
      const articles = scope ? ctx.search.articles.filter((a) => inScope(a, scope)) : ctx.search.articles;
      await interaction.update(
        renderSources(articles, outlet, Number(pageText) || 0, scope ? describeScope(scope) : null),
      );
    },
  },
} satisfies Command;

export function renderSources(
  articles: readonly Listed[],
  outlet: string | null,
  requestedPage: number,
  scopeNote: string | null = null,
) {
  const listed = articles
    .filter((a) => outlet === null || a.outlet === outlet)
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
  const pages = Math.max(1, Math.ceil(listed.length / PER_PAGE));
  const page = Math.min(Math.max(0, requestedPage), pages - 1);
  const lines = listed.slice(page * PER_PAGE, (page + 1) * PER_PAGE).map((a, i) => {
    const link = a.url
      ? ` · [link](${a.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`
      : ` · file: ${fileName(a.source)}`;
    const meta = [a.outlet ?? 'outlet not recorded', a.date ? formatDate(a.date) : 'undated'].join(' · ');
    // Each line is bounded so that ten of them always fit one description.
    return `**${page * PER_PAGE + i + 1}.** ${truncateWords(plain(a.title), 200)} — ${truncateWords(plain(meta), 100)}${link}`;
  });
  const embed: APIEmbed = {
    title: truncateWords(
      plain(
        `Archive: ${listed.length} article${listed.length === 1 ? '' : 's'}${outlet ? ` from ${outlet}` : ''}${scopeNote ? ` (this channel: ${scopeNote})` : ''}`,
      ),
      LIMITS.embedTitle,
    ),
    description: lines.length
      ? lines.join('\n')
      : 'The archive is empty. Add articles to the corpus folder and run `/reindex`.',
    footer: { text: `Page ${page + 1} of ${pages} · newest first` },
    color: 0x2f6f9f,
  };
  const key = outlet ? outletKey(outlet) : '';
  const nav = (target: number, label: string, disabled: boolean) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    custom_id: checkedCustomId(`src:${Math.max(0, target)}:${key}`),
    label,
    disabled,
  });
  return {
    content: '',
    embeds: [embed],
    components:
      pages > 1
        ? [
            {
              type: ComponentType.ActionRow as const,
              components: [nav(page - 1, '◀', page === 0), nav(page + 1, '▶', page >= pages - 1)],
            },
          ]
        : [],
    allowedMentions: NO_MENTIONS,
  };
}

/** The article's file, escaped, at most 60 characters: its end (the file name) is kept when it is long. */
function fileName(source: string, max = 60): string {
  for (let start = 0; start < source.length; start++) {
    const shown = plain(`${start > 0 ? '…' : ''}${source.slice(start)}`);
    if (shown.length <= max) return shown;
  }
  return '…';
}
