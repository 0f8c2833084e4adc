import {
  ApplicationCommandOptionType,
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_ONLY } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { feedsEmbed, loadFeedStatuses } from '../src/discord/feeds-view.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { requireManageServer } from '../src/discord/preconditions.js';
import { describeError, UserFacingError } from '../src/errors.js';
import { parseHttpUrl } from '../src/intake/safe-fetch.js';
import type { LivingArchive } from '../src/living-archive.js';

export default {
  data: {
    name: 'feeds',
    description: 'RSS, Atom and JSON Feed sources that bring new articles into the archive',
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...IN_SERVERS_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Add a feed (and poll it now)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'url',
            description: 'The feed url (RSS, Atom or JSON Feed)',
            required: true,
            max_length: 500,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'outlet',
            description: 'The outlet its articles are filed under',
            required: true,
            max_length: 100,
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'interval',
            description: 'Minutes between polls (default from FEEDS_INTERVAL_MINUTES)',
            min_value: 1,
            max_value: 10080,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'tags',
            description: 'Comma-separated tags kept with its articles',
            max_length: 200,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Stop polling a feed (its articles stay in the archive)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'url',
            description: 'The feed',
            required: true,
            autocomplete: true,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: 'Feeds with last success, last error and next poll',
      },
    ],
  },

  async execute(interaction, ctx) {
    requireManageServer(interaction, 'Managing feeds');
    const living = livingOf(ctx);
    const handlers = { add, remove, list } as const;
    const sub = interaction.options.getSubcommand() as keyof typeof handlers;
    await handlers[sub](interaction, living);
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const feeds = ctx.living ? await ctx.living.feedList.load().catch(() => []) : [];
    await interaction.respond(
      feeds
        .filter((f) => `${f.outlet} ${f.url}`.toLowerCase().includes(typed))
        .slice(0, LIMITS.autocompleteChoices)
        .map((f) => ({
          name: truncateWords(`${f.outlet} · ${f.url}`, LIMITS.choiceName),
          value: f.url.slice(0, 100),
        })),
    );
  },
} satisfies Command;

function livingOf(ctx: BotContext): LivingArchive {
  if (!ctx.living) throw new UserFacingError('Feeds are not available in this bot.');
  return ctx.living;
}

async function add(interaction: ChatInputCommandInteraction, living: LivingArchive) {
  let url: string;
  try {
    url = parseHttpUrl(interaction.options.getString('url', true)).href;
  } catch (error) {
    throw new UserFacingError(`${describeError(error)}. Give the feed's full http(s) address.`);
  }
  const outlet = interaction.options.getString('outlet', true).trim();
  const interval = interaction.options.getInteger('interval') ?? undefined;
  const tags = (interaction.options.getString('tags') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 20);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const isNew = await living.feedList.add({
    url,
    outlet,
    ...(interval ? { intervalMinutes: interval } : {}),
    ...(tags.length ? { tags } : {}),
  });
  const report = await living.poller.pollOne(url);
  const result = report.feeds[0];
  const firstPoll = !result
    ? 'It will be polled shortly.'
    : result.status === 'failed'
      ? `The first poll failed: ${plain(result.error ?? 'unknown error')}. It is retried with a growing wait; \`/feeds list\` shows how it goes.`
      : `First poll: ${result.written} new article${result.written === 1 ? '' : 's'} added${result.failedItems ? `, ${result.failedItems} item(s) to retry later` : ''}.`;
  await interaction.editReply({
    content: truncateWords(
      `${isNew ? 'Added' : 'Updated'} the feed **${plain(outlet)}** (${url}), polled every ${interval ?? living.poller.defaultIntervalMinutes} min. ${firstPoll}`,
      LIMITS.content,
    ),
    allowedMentions: NO_MENTIONS,
  });
}

async function remove(interaction: ChatInputCommandInteraction, living: LivingArchive) {
  const url = interaction.options.getString('url', true).trim();
  const removed = await living.feedList.remove(url);
  if (!removed) throw new UserFacingError('No feed with that url. `/feeds list` shows them.');
  await interaction.reply({
    content: `Removed the feed **${plain(removed.outlet)}** (${removed.url}). Its articles stay in the archive.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function list(interaction: ChatInputCommandInteraction, living: LivingArchive) {
  await interaction.reply({
    embeds: [feedsEmbed(await loadFeedStatuses(living))],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}
