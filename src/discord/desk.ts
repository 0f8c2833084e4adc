import {
  type APIChannel,
  type ButtonInteraction,
  type Client,
  DiscordAPIError,
  type Message,
  MessageFlags,
  type MessageReplyOptions,
  Routes,
} from 'discord.js';
import { combineFollowUp } from '../desk/follow-up.js';
import { INSTANT_SCHEDULE } from '../digest/schedule.js';
import { Subscriptions } from '../digest/subscribe.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type ArchiveScope, describeScope, intersectScopes } from '../search/scope.js';
import { MAX_QUESTION_CHARS } from '../search/search-service.js';
import { NO_MENTIONS } from './answer-format.js';
import type { AnswerRecord } from './answer-store.js';
import { DEFAULT_PER_PAGE, firstAnswerPage, prepareQuestion } from './answers.js';
import type { BotContext } from './context.js';
import { helpEmbed } from './help-text.js';
import { LIMITS, truncateWords } from './limits.js';
import { plain } from './markdown.js';
import { questionWords } from './question-text.js';
import { QuestionRateLimit } from './rate-limit.js';

/** Alerts one person may have at once (made with 🔔 Alert me). */
export const MAX_ALERTS_PER_PERSON = 20;
/** Stories in one alert. */
const ALERT_ITEMS = 5;
/** Discord's "a thread has already been created for this message". */
const THREAD_EXISTS = 160004;

/** A channel as far as scopes care: a thread answers to its parent channel. */
interface ChannelLike {
  id: string;
  isThread(): boolean;
  parentId?: string | null;
}

/**
 * The channel whose scope applies to `channelId`: the channel itself, or the parent of a thread. Threads
 * the bot opened are known without asking Discord; others come from the cache (a fetch if need be).
 */
export async function scopeHome(
  ctx: BotContext,
  client: Client,
  channelId: string | null,
): Promise<string | null> {
  if (!channelId) return null;
  const known = ctx.desk.threads.get(channelId);
  if (known) return known.parentId;
  let channel = client.channels.cache.get(channelId) as ChannelLike | undefined;
  if (!channel)
    channel = ((await client.channels.fetch(channelId).catch(() => null)) ?? undefined) as
      | ChannelLike
      | undefined;
  if (!channel) return channelId;
  return channel.isThread() ? (channel.parentId ?? channelId) : channelId;
}

/** The scope that applies in a channel (or thread), or null for the whole archive. DMs have none. */
export async function scopeIn(
  ctx: BotContext,
  client: Client,
  channelId: string | null,
): Promise<ArchiveScope | null> {
  return ctx.desk.scopes.scopeOf(await scopeHome(ctx, client, channelId));
}

/** Whether the channel is a thread (so no "Follow up in a thread" button in it). */
export function isThreadChannel(ctx: BotContext, client: Client, channelId: string | null): boolean {
  if (!channelId) return false;
  if (ctx.desk.threads.get(channelId)) return true;
  return (client.channels.cache.get(channelId) as ChannelLike | undefined)?.isThread() === true;
}

/**
 * Server messages: a message that mentions the bot is a question, answered as a reply like /ask; every
 * member message in a follow-up thread the bot opened is a follow-up, answered in the thread (with
 * DISCORD_THREAD_FOLLOWUPS off, only those that mention the bot). Same access rules as interactions
 * (nothing from a server not in DISCORD_ALLOWED_GUILDS is answered), a rate limit per person as for DMs,
 * and no pings.
 */
export function createGuildMessageHandler(ctx: BotContext): (message: Message) => Promise<void> {
  const limit = new QuestionRateLimit(ctx.config.dmQuestionsPerMinute, () => ctx.now().getTime());
  return async (message) => {
    if (message.author.bot || !message.inGuild()) return;
    const botId = message.client.user.id;
    const thread = ctx.desk.threads.get(message.channelId);
    const mentioned = mentionsBot(message, botId);
    if (!mentioned && !(thread && ctx.config.threadFollowups)) return;
    const log = ctx.log.child({
      messageId: message.id,
      guildId: message.guildId,
      channelId: message.channelId,
    });
    if (!ctx.access.allowsGuild(message.guildId)) {
      log.warn({ userId: message.author.id }, 'message refused: not an allowed server');
      return;
    }
    const text = questionWords(message.content);
    // An image or a sticker posted in a follow-up thread is not a question.
    if (text === '' && !mentioned) return;
    const reply = (payload: MessageReplyOptions) =>
      message.reply({ ...payload, allowedMentions: { ...NO_MENTIONS, repliedUser: false } });
    try {
      const { verdict, retryInSeconds } = limit.check(message.author.id);
      if (verdict === 'silent') return;
      if (verdict === 'notice') {
        await reply({
          content: `You're asking faster than I can answer well (${ctx.config.dmQuestionsPerMinute} a minute). Ask the next one in about ${retryInSeconds} seconds — I'll skip the ones in between.`,
        });
        return;
      }
      if (text === '' || /^[!/]?(help|hi|hello|\?)$/i.test(text)) {
        await reply({ embeds: [helpEmbed()] });
        return;
      }
      if (thread) await answerFollowUp(ctx, message, thread, text, reply, log);
      else await answerMention(ctx, message, text, reply, log);
    } catch (error) {
      if (error instanceof UserFacingError) {
        await reply({ content: error.message }).catch((e: unknown) =>
          log.warn({ err: e }, 'could not answer a message'),
        );
        return;
      }
      log.error({ err: error }, 'answering a server message failed');
      await reply({
        content:
          'Sorry, something went wrong on our side while answering that. Please try again in a moment.',
      }).catch(() => {});
    }
  };
}

/**
 * Whether the message itself mentions the bot: `<@bot>`, or the bot's own role, which Discord's @ picker
 * offers under the same name. A reply to one of the bot's answers (which Discord counts as a mention when
 * it pings) is not a question by that alone: "thanks!" should not be searched.
 */
export function mentionsBot(message: Message<true>, botId: string): boolean {
  if (new RegExp(`<@!?${botId}>`).test(message.content)) return true;
  const role = message.guild?.roles.botRoleFor(botId);
  return role ? message.content.includes(`<@&${role.id}>`) : false;
}

async function answerMention(
  ctx: BotContext,
  message: Message<true>,
  text: string,
  reply: (payload: MessageReplyOptions) => Promise<unknown>,
  log: Logger,
): Promise<void> {
  const scope = await scopeIn(ctx, message.client, message.channelId);
  const prepared = prepareQuestion(ctx, text, {}, scope);
  await message.channel.sendTyping().catch(() => {});
  // "What did X say" is answered with X's quotations, as in /ask.
  const { payload, record } = await firstAnswerPage(
    ctx,
    prepared,
    {
      perPage: DEFAULT_PER_PAGE,
      userId: message.author.id,
      createdAt: ctx.now().toISOString(),
      guildId: message.guildId,
      channelId: message.channelId,
    },
    { shareable: false, followUp: !isThreadChannel(ctx, message.client, message.channelId) },
  );
  // Recorded before the reply is sent: whoever sees the answer can find it in the trail.
  await ctx.desk.trail.record({
    kind: 'mention',
    at: record.createdAt,
    guildId: message.guildId,
    channelId: message.channelId,
    userId: message.author.id,
    question: record.question,
  });
  await reply(payload);
  log.info({ answerId: record.id }, 'mention answered');
}

async function answerFollowUp(
  ctx: BotContext,
  message: Message<true>,
  thread: NonNullable<ReturnType<BotContext['desk']['threads']['get']>>,
  text: string,
  reply: (payload: MessageReplyOptions) => Promise<unknown>,
  log: Logger,
): Promise<void> {
  const previous = thread.questions.at(-1)?.searched ?? null;
  const combined = combineFollowUp(previous, text, MAX_QUESTION_CHARS);
  // The thread's filters, within its channel's scope as it is now.
  const scope = ctx.desk.scopes.scopeOf(thread.parentId);
  const prepared = prepareQuestion(ctx, combined.question, thread.filters, scope);
  await message.channel.sendTyping().catch(() => {});
  const at = ctx.now().toISOString();
  const { payload, resultIds, record } = await firstAnswerPage(
    ctx,
    prepared,
    {
      perPage: thread.perPage,
      userId: message.author.id,
      createdAt: at,
      guildId: message.guildId,
      channelId: message.channelId,
    },
    { shareable: false, followUp: false },
  );
  if (combined.how !== 'as-is')
    payload.content = truncateWords(
      `Read with the thread's earlier question.\n${payload.content}`,
      LIMITS.content,
    );
  // The thread's state and the trail are written before the answer is sent (a crash in between loses a
  // reply, never the question the next follow-up is read with).
  await ctx.desk.threads.addQuestion(message.channelId, {
    asked: text,
    searched: record.question,
    by: message.author.id,
    at,
  });
  await ctx.desk.trail.record({
    kind: 'follow-up',
    at,
    guildId: message.guildId,
    threadId: message.channelId,
    userId: message.author.id,
    asked: text,
    searched: record.question,
    how: combined.how,
    resultIds,
  });
  await reply(payload);
  log.info({ answerId: record.id, how: combined.how }, 'follow-up answered');
}

/**
 * "Follow up in a thread": a public thread on the answer message, named after the question (100
 * characters at most), remembered in DATA_DIR/threads.json with the answer's filters; a short note in the
 * thread says how follow-ups are read. A second click points to the thread already open.
 */
export async function openFollowUpThread(
  interaction: ButtonInteraction,
  ctx: BotContext,
  record: AnswerRecord,
  log: Logger,
): Promise<void> {
  const message = interaction.message;
  if (
    !interaction.inGuild() ||
    message.flags.has(MessageFlags.Ephemeral) ||
    isThreadChannel(ctx, interaction.client, interaction.channelId)
  )
    throw new UserFacingError('Follow-up threads open on a public answer in a server channel.');
  const existing = ctx.desk.threads.byMessage(message.id);
  if (existing)
    throw new UserFacingError(`This answer already has its follow-up thread: <#${existing[0]}>. Ask there.`);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let thread: APIChannel;
  try {
    thread = (await interaction.client.rest.post(Routes.threads(interaction.channelId, message.id), {
      body: { name: truncateWords(record.question, 100), auto_archive_duration: 1440 },
      reason: `Follow-ups on an answer, opened by ${interaction.user.id}`,
    })) as APIChannel;
  } catch (error) {
    if (error instanceof DiscordAPIError && Number(error.code) === THREAD_EXISTS)
      throw new UserFacingError('This answer already has a thread: open it from the message.');
    if (error instanceof DiscordAPIError && [50001, 50013].includes(Number(error.code)))
      throw new UserFacingError(
        'I may not open threads here: the bot needs Create Public Threads and Send Messages in Threads in this channel.',
      );
    throw error;
  }
  const at = ctx.now().toISOString();
  await ctx.desk.threads.set(thread.id, {
    guildId: interaction.guildId,
    parentId: interaction.channelId,
    messageId: message.id,
    openedBy: interaction.user.id,
    openedAt: at,
    lastAt: at,
    filters: {
      outlet: record.filters.outlet ?? null,
      since: record.filters.since ?? null,
      until: record.filters.until ?? null,
    },
    perPage: record.perPage,
    questions: [
      { asked: record.question, searched: record.question, by: record.userId, at: record.createdAt },
    ],
  });
  const scope = ctx.desk.scopes.scopeOf(interaction.channelId);
  const bounds = [
    record.filters.outlet ? `outlet ${record.filters.outlet}` : null,
    record.filters.since ? `since ${record.filters.since}` : null,
    record.filters.until ? `until ${record.filters.until}` : null,
  ].filter(Boolean);
  await interaction.client.rest.post(Routes.channelMessages(thread.id), {
    body: {
      content: truncateWords(
        [
          `**Follow-ups on:** ${plain(record.question)}`,
          ctx.config.threadFollowups
            ? 'Ask your next question here and I answer it from the archive.'
            : 'Mention me (@Clipdesk) in each follow-up and I answer it from the archive.',
          `A short one (“and in 2003?”, “what about Hotan?”, “who else said that?”) is read with the question before it. Filters: ${bounds.length ? plain(bounds.join(', ')) : 'none'}; channel scope: ${plain(describeScope(scope))}.`,
        ].join('\n'),
        LIMITS.content,
      ),
      allowed_mentions: NO_MENTIONS,
    },
  });
  log.info({ threadId: thread.id, answerId: record.id }, 'follow-up thread opened');
  await ctx.desk.trail.record({
    kind: 'thread-opened',
    at,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    threadId: thread.id,
    userId: interaction.user.id,
    answerId: record.id,
  });
  await interaction.editReply({
    content: `Thread opened: <#${thread.id}>. Ask your follow-ups there.`,
    allowedMentions: NO_MENTIONS,
  });
}

/**
 * 🔔 Alert me: an instant subscription, by DM to the person who clicked, on the answer's question as topic,
 * within the scope it was asked in and the answer's filters. At most MAX_ALERTS_PER_PERSON each; the same
 * alert twice is not made twice. Said privately, with how to stop it.
 */
export async function createAlert(
  interaction: ButtonInteraction,
  ctx: BotContext,
  record: AnswerRecord,
  log: Logger,
): Promise<void> {
  const userId = interaction.user.id;
  const scope = intersectScopes(record.scope ?? null, {
    outlets: [],
    folders: [],
    since: record.filters.since ?? null,
    until: record.filters.until ?? null,
  });
  const reach = scope && describeScope(scope) !== 'the whole archive' ? scope : null;
  const mine = ctx.digests.store
    .all()
    .filter((s) => s.target.kind === 'dm' && s.target.userId === userId && s.fromAnswer !== null);
  const same = mine.find(
    (s) =>
      s.topic === record.question &&
      s.outlet === (record.filters.outlet ?? null) &&
      JSON.stringify(s.scope) === JSON.stringify(reach),
  );
  const stop = (id: string) =>
    `To stop it: in a direct message with me, \`/digest list\` shows your alerts and \`/digest unsubscribe id:${id}\` removes it.`;
  if (same) {
    await interaction.reply({
      content: `You already have this alert (\`${same.id}\`). ${stop(same.id)}`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  if (mine.length >= MAX_ALERTS_PER_PERSON) {
    await ctx.desk.trail.record({
      kind: 'alert-refused',
      at: ctx.now().toISOString(),
      guildId: interaction.guildId,
      userId,
      answerId: record.id,
      topic: record.question,
      reason: 'limit',
    });
    throw new UserFacingError(
      `You have ${mine.length} alerts, the most one person can have. Remove one first: in a direct message with me, \`/digest list\` shows them and \`/digest unsubscribe\` removes one.`,
    );
  }
  const subscription = await new Subscriptions(ctx.digests.store, ctx.now).subscribe({
    target: { kind: 'dm', userId },
    guildId: interaction.guildId,
    createdBy: userId,
    schedule: { ...INSTANT_SCHEDULE },
    timeZone: ctx.config.digestTimeZone,
    topic: record.question,
    outlet: record.filters.outlet ?? null,
    maxItems: ALERT_ITEMS,
    scope: reach,
    fromAnswer: record.id,
  });
  log.info({ subscription: subscription.id, answerId: record.id }, 'alert created');
  await ctx.desk.trail.record({
    kind: 'alert-created',
    at: subscription.createdAt,
    guildId: interaction.guildId,
    userId,
    answerId: record.id,
    subscriptionId: subscription.id,
    topic: record.question,
  });
  const where = [
    subscription.outlet ? `outlet ${subscription.outlet}` : null,
    reach ? describeScope(reach) : null,
  ].filter(Boolean);
  await interaction.reply({
    content: truncateWords(
      `🔔 Alert \`${subscription.id}\` set: I'll send you a direct message when a new article in the archive answers “${plain(record.question)}”${where.length ? ` (${plain(where.join(' · '))})` : ''}. ${stop(subscription.id)}`,
      LIMITS.content,
    ),
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
}
