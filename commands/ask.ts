import { ApplicationCommandOptionType, type ButtonInteraction, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import {
  answerFor,
  answerPage,
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  prepareQuestion,
} from '../src/discord/answers.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { parseAskId } from '../src/discord/custom-ids.js';
import { outletChoices } from '../src/discord/outlets.js';
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
      {
        type: ApplicationCommandOptionType.String,
        name: 'outlet',
        description: 'Only articles from this outlet',
        autocomplete: true,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'since',
        description: 'Only articles dated on or after (YYYY-MM-DD)',
        max_length: 10,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'until',
        description: 'Only articles dated on or before (YYYY-MM-DD)',
        max_length: 10,
      },
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
    // Checked before deferring, so a mistake is answered at once and privately.
    const prepared = prepareQuestion(ctx, interaction.options.getString('question', true), {
      outlet: interaction.options.getString('outlet'),
      since: interaction.options.getString('since'),
      until: interaction.options.getString('until'),
    });
    const inGuild = interaction.inGuild();
    const isPrivate = inGuild && (interaction.options.getBoolean('private') ?? ctx.config.askPrivateDefault);
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const record = await ctx.answers.create({
      ...prepared,
      perPage: interaction.options.getInteger('count') ?? DEFAULT_PER_PAGE,
      userId: interaction.user.id,
      createdAt: ctx.now().toISOString(),
    });
    const { payload } = await answerPage(ctx, record, 0, { shareable: isPrivate });
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
      if (!button) {
        log.warn({ customId: interaction.customId }, 'malformed ask button');
        return;
      }
      const record = answerFor(ctx, button.answerId);
      if (button.action === 'page') await turnPage(interaction, ctx, record.id, button.page, button.sharedBy);
      else if (button.action === 'share') await share(interaction, ctx, record.id, button.page);
      else await vote(interaction, ctx, log, record.id, button.page, button.vote);
    },
  },
} satisfies Command;

/** More / Back: the same message shows another page. */
async function turnPage(
  interaction: ButtonInteraction,
  ctx: BotContext,
  answerId: string,
  page: number,
  sharedBy?: string,
) {
  await interaction.deferUpdate();
  const record = answerFor(ctx, answerId);
  const shareable = interaction.message.flags.has(MessageFlags.Ephemeral) && interaction.inGuild();
  const { payload } = await answerPage(ctx, record, page, { shareable, sharedBy });
  await interaction.editReply(payload);
}

/** Share: the private answer's page, posted for the whole channel. */
async function share(interaction: ButtonInteraction, ctx: BotContext, answerId: string, page: number) {
  await interaction.deferReply();
  const { payload } = await answerPage(ctx, answerFor(ctx, answerId), page, {
    shareable: false,
    sharedBy: interaction.user.id,
  });
  await interaction.editReply(payload);
}

/** 👍 / 👎: recorded with the question and the articles shown. */
async function vote(
  interaction: ButtonInteraction,
  ctx: BotContext,
  log: Logger,
  answerId: string,
  page: number,
  choice: 'up' | 'down',
) {
  const record = answerFor(ctx, answerId);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { resultIds } = await answerPage(ctx, record, page, { shareable: false });
  await ctx.feedback.record({
    at: ctx.now().toISOString(),
    answerId,
    question: record.question,
    page,
    resultIds,
    vote: choice,
    userId: interaction.user.id,
    guildId: interaction.guildId,
  });
  log.info({ vote: choice, answerId }, 'feedback recorded');
  await interaction.editReply({
    content:
      choice === 'up'
        ? 'Thanks — noted that this answer helped.'
        : 'Thanks — noted that this answer missed. It helps us tune the archive search.',
    allowedMentions: NO_MENTIONS,
  });
}
