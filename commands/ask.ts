import { ApplicationCommandOptionType, type ButtonInteraction, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import type { AnswerRecord } from '../src/discord/answer-store.js';
import {
  answerPage,
  DEFAULT_PER_PAGE,
  firstAnswerPage,
  MAX_PER_PAGE,
  prepareQuestion,
} from '../src/discord/answers.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { parseAskId } from '../src/discord/custom-ids.js';
import { createAlert, isThreadChannel, openFollowUpThread, scopeIn } from '../src/discord/desk.js';
import { FILTER_OPTIONS, filtersOf } from '../src/discord/filter-options.js';
import { outletChoices } from '../src/discord/outlets.js';
import { BUTTON_EXPIRED } from '../src/discord/router.js';
import { UserFacingError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { MAX_QUESTION_CHARS } from '../src/search/search-service.js';

export default {
  data: {
    name: 'ask',
    description: 'Answer from the archive with verbatim, sourced quotes',
    ...IN_SERVERS_AND_DMS,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'What you want to know, with names, places or terms from the story',
        required: true,
        max_length: MAX_QUESTION_CHARS,
      },
      ...FILTER_OPTIONS,
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'count',
        description: `Articles per page (default ${DEFAULT_PER_PAGE})`,
        min_value: 1,
        max_value: MAX_PER_PAGE,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'private',
        description: 'Answer only to you (with a Share button)',
      },
    ],
  },

  async execute(interaction, ctx) {
    const inGuild = interaction.inGuild();
    // The channel's scope (/scope), which the asker's filters may narrow but not widen.
    const scope = inGuild ? await scopeIn(ctx, interaction.client, interaction.channelId) : null;
    // Checked before deferring, so a mistake is answered at once and privately.
    const prepared = prepareQuestion(
      ctx,
      interaction.options.getString('question', true),
      filtersOf(interaction.options),
      scope,
    );
    const isPrivate = inGuild && (interaction.options.getBoolean('private') ?? ctx.config.askPrivateDefault);
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const { payload } = await firstAnswerPage(
      ctx,
      prepared,
      {
        perPage: interaction.options.getInteger('count') ?? DEFAULT_PER_PAGE,
        userId: interaction.user.id,
        createdAt: ctx.now().toISOString(),
        guildId: interaction.guildId,
        channelId: interaction.channelId,
      },
      {
        shareable: isPrivate,
        followUp: inGuild && !isPrivate && !isThreadChannel(ctx, interaction.client, interaction.channelId),
      },
    );
    await interaction.editReply(payload);
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    await interaction.respond(
      focused.name === 'outlet' ? outletChoices(ctx.search.articles, focused.value) : [],
    );
  },

  buttons: {
    prefix: 'ask',
    async handle(interaction, ctx, log) {
      const button = parseAskId(interaction.customId);
      const record = button ? ctx.answers.get(button.answerId) : undefined;
      if (!button || !record) {
        log.warn({ customId: interaction.customId }, 'ask button that is malformed or whose answer is gone');
        throw new UserFacingError(BUTTON_EXPIRED);
      }
      // Paging edits the message for everyone who sees it, and sharing makes a private answer public:
      // both are for the person who asked. Feedback, a follow-up thread and an alert for oneself are
      // open to anyone who sees the answer.
      if ((button.action === 'page' || button.action === 'share') && record.userId !== interaction.user.id) {
        log.warn({ answerId: record.id, action: button.action }, 'button of someone else’s answer refused');
        throw new UserFacingError(
          button.action === 'share'
            ? 'Only the person who asked can share this answer. Ask it yourself with `/ask`.'
            : 'Only the person who asked can page through this answer. Ask it yourself with `/ask` to see more.',
        );
      }
      if (button.action === 'page') await turnPage(interaction, ctx, record, button.page, button.shared);
      else if (button.action === 'share') await share(interaction, ctx, record, button.page);
      else if (button.action === 'thread') await openFollowUpThread(interaction, ctx, record, log);
      else if (button.action === 'alert') await createAlert(interaction, ctx, record, log);
      else await vote(interaction, ctx, log, record, button.page, button.vote);
    },
  },
} satisfies Command;

/** A server channel that is not a thread: where a follow-up thread can be opened. */
function publicInChannel(interaction: ButtonInteraction, ctx: BotContext): boolean {
  return interaction.inGuild() && !isThreadChannel(ctx, interaction.client, interaction.channelId);
}

/** A page past the answer's last one: the id was forged or the archive shrank since. */
function checkPageExists(page: number, resultIds: string[]): void {
  if (page > 0 && resultIds.length === 0) throw new UserFacingError(BUTTON_EXPIRED);
}

/** More / Back: the same message shows another page. */
async function turnPage(
  interaction: ButtonInteraction,
  ctx: BotContext,
  record: AnswerRecord,
  page: number,
  shared: boolean,
) {
  await interaction.deferUpdate();
  const shareable = interaction.message.flags.has(MessageFlags.Ephemeral) && interaction.inGuild();
  const { payload, resultIds } = await answerPage(ctx, record, page, {
    shareable,
    sharedBy: shared ? record.userId : undefined,
    followUp: publicInChannel(interaction, ctx) && !interaction.message.flags.has(MessageFlags.Ephemeral),
  });
  checkPageExists(page, resultIds);
  await interaction.editReply(payload);
}

/** Share: the private answer's page, posted for the whole channel by the person who asked it. */
async function share(interaction: ButtonInteraction, ctx: BotContext, record: AnswerRecord, page: number) {
  await interaction.deferReply();
  const { payload, resultIds } = await answerPage(ctx, record, page, {
    shareable: false,
    sharedBy: record.userId,
    followUp: publicInChannel(interaction, ctx),
  });
  checkPageExists(page, resultIds);
  await interaction.editReply(payload);
}

/** 👍 / 👎: recorded with the question and the articles shown. */
async function vote(
  interaction: ButtonInteraction,
  ctx: BotContext,
  log: Logger,
  record: AnswerRecord,
  page: number,
  choice: 'up' | 'down',
) {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { resultIds } = await answerPage(ctx, record, page, { shareable: false });
  checkPageExists(page, resultIds);
  await ctx.feedback.record({
    at: ctx.now().toISOString(),
    answerId: record.id,
    question: record.question,
    page,
    resultIds,
    vote: choice,
    userId: interaction.user.id,
    guildId: interaction.guildId,
  });
  log.info({ vote: choice, answerId: record.id }, 'feedback recorded');
  await interaction.editReply({
    content:
      choice === 'up'
        ? 'Thanks — noted that this answer helped.'
        : 'Thanks — noted that this answer missed. It helps us tune the archive search.',
    allowedMentions: NO_MENTIONS,
  });
}
