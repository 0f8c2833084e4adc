import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationCommandOptionType, type ChatInputCommandInteraction, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import { scopeArticleIds } from '../src/discord/answers.js';
import { IN_SERVERS_ONLY } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { scopeHome } from '../src/discord/desk.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { outletCounts } from '../src/discord/outlets.js';
import { requireManageServer } from '../src/discord/preconditions.js';
import { UserFacingError } from '../src/errors.js';
import { validateFilters } from '../src/search/filters.js';
import { type ArchiveScope, corpusFolders, describeScope, normalizeFolder } from '../src/search/scope.js';

const DATE = (name: 'since' | 'until', description: string) => ({
  type: ApplicationCommandOptionType.String as const,
  name,
  description,
  max_length: 10,
});

export default {
  data: {
    name: 'scope',
    description: 'The part of the archive this channel and its threads see',
    ...IN_SERVERS_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: 'Limit this channel to some outlets, folders or dates (Manage Server)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'outlets',
            description: 'Outlets, comma-separated',
            autocomplete: true,
            max_length: 500,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'folders',
            description: 'Folders of the corpus, comma-separated (e.g. sports, uploads)',
            autocomplete: true,
            max_length: 500,
          },
          DATE('since', 'Only articles dated on or after (YYYY-MM-DD)'),
          DATE('until', 'Only articles dated on or before (YYYY-MM-DD)'),
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'show',
        description: 'What this channel sees',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'clear',
        description: 'Let this channel see the whole archive again (Manage Server)',
      },
    ],
  },

  async execute(interaction, ctx) {
    const sub = interaction.options.getSubcommand();
    const home = (await scopeHome(ctx, interaction.client, interaction.channelId)) ?? interaction.channelId;
    if (sub === 'show') {
      await interaction.reply({
        content: describeChannel(ctx, home),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    try {
      requireManageServer(interaction, `\`/scope ${sub}\``);
    } catch (error) {
      await ctx.desk.trail.record({
        kind: 'scope-refused',
        at: ctx.now().toISOString(),
        guildId: interaction.guildId,
        channelId: home,
        userId: interaction.user.id,
        reason: 'no Manage Server',
      });
      throw error;
    }
    if (sub === 'clear') {
      await ctx.desk.scopes.set(home, null);
      await ctx.desk.trail.record({
        kind: 'scope-cleared',
        at: ctx.now().toISOString(),
        guildId: interaction.guildId,
        channelId: home,
        userId: interaction.user.id,
      });
      await interaction.reply({
        content: `<#${home}> and its threads see the whole archive again (cleared by <@${interaction.user.id}>).`,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const scope = await readScope(interaction, ctx);
    await ctx.desk.scopes.set(home, {
      guildId: interaction.guildId as string,
      scope,
      setBy: interaction.user.id,
      setAt: ctx.now().toISOString(),
    });
    await ctx.desk.trail.record({
      kind: 'scope-set',
      at: ctx.now().toISOString(),
      guildId: interaction.guildId,
      channelId: home,
      userId: interaction.user.id,
      scope,
    });
    await interaction.reply({
      content: truncateWords(
        `${describeChannel(ctx, home)}\nSet by <@${interaction.user.id}>. \`/ask\`, mentions, follow-ups, \`/sources\` and digests posted here stay within it; a filter can narrow it, not widen it.`,
        LIMITS.content,
      ),
      allowedMentions: NO_MENTIONS,
    });
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    // A comma-separated list: complete its last item, keep the ones before.
    const items = focused.value.split(',');
    const typed = (items.pop() ?? '').trim().toLocaleLowerCase('en');
    const before = items.map((i) => i.trim()).filter(Boolean);
    const prefix = before.length ? `${before.join(', ')}, ` : '';
    const candidates =
      focused.name === 'outlets'
        ? outletCounts(ctx.search.articles).map((o) => o.outlet)
        : focused.name === 'folders'
          ? corpusFolders(ctx.search.articles)
          : [];
    await interaction.respond(
      candidates
        .filter((c) => c.toLocaleLowerCase('en').includes(typed) && !before.includes(c))
        .map((c) => `${prefix}${c}`)
        .filter((v) => v.length <= LIMITS.choiceValue)
        .slice(0, LIMITS.autocompleteChoices)
        .map((v) => ({ name: v, value: v })),
    );
  },
} satisfies Command;

/** The scope typed in /scope set, checked: outlets of the archive, folders under CORPUS_DIR, dates. */
async function readScope(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<ArchiveScope> {
  const list = (name: string) =>
    (interaction.options.getString(name) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const outlets = list('outlets').map((typed) => {
    const canonical = ctx.search.canonicalOutlet(typed);
    if (!canonical)
      throw new UserFacingError(`No article in the archive is from "${typed}". Pick outlets from the list.`);
    return canonical;
  });
  const folders: string[] = [];
  for (const typed of list('folders')) {
    const folder = normalizeFolder(typed);
    const full = path.resolve(ctx.config.corpusDir, folder);
    const inside = path.relative(path.resolve(ctx.config.corpusDir), full);
    const isFolder = await stat(full).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (inside.startsWith('..') || path.isAbsolute(inside) || !isFolder)
      throw new UserFacingError(
        `There is no folder "${typed}" in the corpus folder. Pick one from the list (folders that hold articles).`,
      );
    folders.push(folder);
  }
  const since = interaction.options.getString('since')?.trim() || null;
  const until = interaction.options.getString('until')?.trim() || null;
  validateFilters({ since, until });
  if (outlets.length === 0 && folders.length === 0 && !since && !until)
    throw new UserFacingError(
      'Give at least one of `outlets`, `folders`, `since` or `until`; `/scope clear` lets the channel see the whole archive.',
    );
  return { outlets: [...new Set(outlets)], folders: [...new Set(folders)], since, until };
}

/** "<#channel> and its threads see …: N articles." */
function describeChannel(ctx: BotContext, channelId: string): string {
  const scope = ctx.desk.scopes.scopeOf(channelId);
  if (!scope)
    return `<#${channelId}> and its threads see the whole archive (${ctx.search.articles.length} articles).`;
  const n = scopeArticleIds(ctx.search.articles, scope).size;
  return `<#${channelId}> and its threads see only ${plain(describeScope(scope))}: ${n} article${n === 1 ? '' : 's'} of ${ctx.search.articles.length}.`;
}
