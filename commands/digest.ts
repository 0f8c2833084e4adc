import {
  ApplicationCommandOptionType,
  ChannelType,
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { checkTimeZone, isInstant, parseSchedule, SCHEDULE_EXAMPLES } from '../src/digest/schedule.js';
import { DEFAULT_DIGEST_ITEMS, MAX_DIGEST_ITEMS, Subscriptions } from '../src/digest/subscribe.js';
import { type DigestTarget, describeTarget, type Subscription } from '../src/digest/subscription.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { formatInZone, renderDigest } from '../src/discord/digest-format.js';
import { subscriptionsEmbed, timeZoneChoices, visible } from '../src/discord/digest-views.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { outletChoices } from '../src/discord/outlets.js';
import { canManageServer, requireManageServer } from '../src/discord/preconditions.js';
import { questionWords } from '../src/discord/question-text.js';
import { UserFacingError } from '../src/errors.js';
import { outletProblem } from '../src/search/outlet-match.js';

const ID_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: 'id',
  description: 'The subscription',
  required: true,
  autocomplete: true,
} as const;

export default {
  data: {
    name: 'digest',
    description: 'Scheduled digests of new articles, posted to a channel or sent to you by DM',
    // Managing server digests needs Manage Server by default. In a DM with the bot anyone can use it,
    // which is how a person subscribes themselves.
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...IN_SERVERS_AND_DMS,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'subscribe',
        description: 'Post a digest of new articles on a schedule',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'schedule',
            description: 'daily 08:00, weekdays 07:30, weekly monday 09:00, instant, or cron',
            required: true,
            max_length: 100,
          },
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Where to post (default: this channel)',
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'target',
            description: 'A channel, or you by direct message',
            choices: [
              { name: 'channel', value: 'channel' },
              { name: 'me (direct message)', value: 'me' },
            ],
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'timezone',
            description: 'IANA time zone, e.g. Europe/Paris',
            autocomplete: true,
            max_length: 64,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'topic',
            description: 'Only articles about this (a question or keywords)',
            max_length: 300,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'outlet',
            description: 'Only articles from this outlet',
            autocomplete: true,
          },
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'max_items',
            description: `Most stories per digest (default ${DEFAULT_DIGEST_ITEMS})`,
            min_value: 1,
            max_value: MAX_DIGEST_ITEMS,
          },
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'post_empty',
            description: 'Post "nothing new" when there is nothing (default: stay silent)',
          },
          {
            type: ApplicationCommandOptionType.Boolean,
            name: 'everything_added',
            description: 'Also announce old articles added to the archive (default: only recent news)',
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: 'Subscriptions here, with next run and last result',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'unsubscribe',
        description: 'Stop a subscription',
        options: [ID_OPTION],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'preview',
        description: 'What would be posted now (only you see it; nothing is recorded)',
        options: [ID_OPTION],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'now',
        description: 'Post the digest now and record it',
        options: [ID_OPTION],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'resume',
        description: 'Restart a subscription paused after failures',
        options: [ID_OPTION],
      },
    ],
  },

  async execute(interaction, ctx) {
    const name = interaction.options.getSubcommand();
    if (isKeyOf(SUBCOMMANDS, name)) return SUBCOMMANDS[name](interaction, ctx);
    if (!isKeyOf(ON_SUBSCRIPTION, name)) throw new UserFacingError(`Unknown subcommand \`${name}\`.`);
    const subscription = visible(interaction, ctx).find(
      (s) => s.id === interaction.options.getString(ID_OPTION.name, true).trim(),
    );
    if (!subscription)
      throw new UserFacingError(
        'No subscription with that id here. `/digest list` shows the ones you can manage.',
      );
    // A channel digest belongs to the server: only those who manage it may post, preview, pause or remove it.
    if (subscription.target.kind === 'channel')
      requireManageServer(interaction, `\`/digest ${name}\` on a channel digest`);
    return ON_SUBSCRIPTION[name](interaction, ctx, subscription);
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const typed = focused.value.trim().toLowerCase();
    if (focused.name === 'id') {
      await interaction.respond(
        visible(interaction, ctx)
          .filter((s) => `${s.id} ${s.topic ?? ''} ${s.schedule.text}`.toLowerCase().includes(typed))
          .slice(0, LIMITS.autocompleteChoices)
          .map((s) => ({
            name: truncateWords(
              `${s.id} · ${s.schedule.text} ${s.timeZone}${s.topic ? ` · ${s.topic}` : ''}${s.paused ? ' · paused' : ''}`,
              LIMITS.choiceName,
            ),
            value: s.id,
          })),
      );
    } else if (focused.name === 'timezone') {
      await interaction.respond(timeZoneChoices(typed, ctx.config.digestTimeZone));
    } else if (focused.name === 'outlet') {
      await interaction.respond(outletChoices(ctx.search.articles, focused.value));
    } else {
      await interaction.respond([]);
    }
  },
} satisfies Command;

async function subscribe(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const schedule = parseSchedule(interaction.options.getString('schedule', true));
  const timeZone = checkTimeZone(interaction.options.getString('timezone') ?? ctx.config.digestTimeZone);
  const typedOutlet = interaction.options.getString('outlet');
  const outlet = typedOutlet ? ctx.search.canonicalOutlet(typedOutlet) : null;
  if (typedOutlet && !outlet)
    throw new UserFacingError(
      outletProblem(
        typedOutlet,
        ctx.search.resolveOutlet(typedOutlet),
        ' Pick an outlet from the list, or leave it out.',
      ) ?? `No article in the archive is from "${typedOutlet}" yet.`,
    );
  const topic = questionWords(interaction.options.getString('topic') ?? '') || null;

  let target: DigestTarget;
  if (!interaction.inGuild() || interaction.options.getString('target') === 'me') {
    target = { kind: 'dm', userId: interaction.user.id };
  } else {
    // Posting to a channel is a server decision, even where an admin opened /digest to everyone.
    if (!canManageServer(interaction)) {
      throw new UserFacingError(
        'Digests in a channel need the Manage Server permission. To get one yourself, use `target: me`, or send me `/digest subscribe` in a direct message.',
      );
    }
    const channel = interaction.options.getChannel('channel') ?? interaction.channel;
    if (!channel) throw new UserFacingError('Pick the channel to post in with the `channel` option.');
    target = { kind: 'channel', guildId: interaction.guildId, channelId: channel.id };
  }

  const subscription = await new Subscriptions(ctx.digests.store, ctx.now).subscribe({
    target,
    guildId: interaction.guildId,
    createdBy: interaction.user.id,
    schedule,
    timeZone,
    topic,
    outlet,
    maxItems: interaction.options.getInteger('max_items'),
    postWhenEmpty: interaction.options.getBoolean('post_empty'),
    everythingAdded: interaction.options.getBoolean('everything_added'),
  });
  const upcoming = ctx.digests.scheduler
    .upcoming(subscription, 3)
    .map((d) => `• ${formatInZone(d, timeZone)}`);
  await interaction.reply({
    content: truncateWords(
      [
        `Subscribed: \`${subscription.id}\`, ${schedule.text} (${timeZone}) to ${describeTarget(target)}` +
          `${topic ? `, topic “${plain(topic)}”` : ''}${outlet ? `, outlet ${plain(outlet)}` : ''}, up to ${subscription.maxItems} stories.`,
        ...(isInstant(subscription)
          ? [
              'Each new article that matches is posted as soon as it is in the archive (articles arriving together in one post).',
            ]
          : [
              `The first digest covers the last ${ctx.config.digestLookbackHours} hours${subscription.everythingAdded ? ', every article added' : ', news only: articles published long before (an imported back catalogue) are left out'}. Next runs:`,
              ...upcoming,
            ]),
      ].join('\n'),
      LIMITS.content,
    ),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function list(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const subscriptions = visible(interaction, ctx);
  if (subscriptions.length === 0) {
    await interaction.reply({
      content: `No digests here yet. Start one with \`/digest subscribe schedule:daily 08:00\` (${SCHEDULE_EXAMPLES}).`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  await interaction.reply({
    embeds: [subscriptionsEmbed(subscriptions, ctx.digests.scheduler)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

type Handler = (interaction: ChatInputCommandInteraction, ctx: BotContext) => Promise<void>;
type SubscriptionHandler = (
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  subscription: Subscription,
) => Promise<void>;

async function unsubscribe(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  subscription: Subscription,
) {
  await new Subscriptions(ctx.digests.store, ctx.now).unsubscribe(subscription.id);
  await interaction.reply({
    content: `Unsubscribed \`${subscription.id}\`: no more digests to ${describeTarget(subscription.target)}.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

async function preview(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  subscription: Subscription,
) {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const [first, ...rest] = renderDigest(subscription, await ctx.digests.scheduler.preview(subscription), {
    preview: true,
  });
  if (first) await interaction.editReply(first);
  for (const m of rest) await interaction.followUp({ ...m, flags: MessageFlags.Ephemeral });
}

async function postNow(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  subscription: Subscription,
) {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await ctx.digests.scheduler.runNow(subscription.id);
  const text =
    outcome?.status === 'posted'
      ? `Posted \`${subscription.id}\` to ${describeTarget(subscription.target)}: ${outcome.items} stor${outcome.items === 1 ? 'y' : 'ies'}.`
      : outcome?.status === 'empty'
        ? `Nothing new for \`${subscription.id}\` since its last digest, so nothing was posted.`
        : `Could not post \`${subscription.id}\`: ${outcome?.error ?? 'unknown error'}.`;
  await interaction.editReply({ content: text, allowedMentions: NO_MENTIONS });
}

async function resume(interaction: ChatInputCommandInteraction, ctx: BotContext, subscription: Subscription) {
  await new Subscriptions(ctx.digests.store, ctx.now).resume(subscription.id);
  const [next] = ctx.digests.scheduler.upcoming(subscription, 1);
  await interaction.reply({
    content: `Resumed \`${subscription.id}\`. Next run: ${next ? formatInZone(next, subscription.timeZone) : 'none scheduled'}.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}

/** The subcommands, by name: those that act on the place, and those that act on one subscription (`id`). */
export const SUBCOMMANDS = { subscribe, list } satisfies Record<string, Handler>;
export const ON_SUBSCRIPTION = { unsubscribe, preview, now: postNow, resume } satisfies Record<
  string,
  SubscriptionHandler
>;

function isKeyOf<T extends object>(map: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(map, key);
}
