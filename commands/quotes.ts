import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import { answerPage, DEFAULT_PER_PAGE, isQuoted, prepareFilters } from '../src/discord/answers.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { Command } from '../src/discord/context.js';
import { FILTER_OPTIONS, filtersOf } from '../src/discord/filter-options.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { outletChoices } from '../src/discord/outlets.js';
import { noQuotationsLine } from '../src/discord/quote-format.js';
import { UserFacingError } from '../src/errors.js';
import { speakerChoices } from '../src/quotes/search.js';
import { MAX_QUESTION_CHARS } from '../src/search/search-service.js';

/**
 * /quotes speaker [about] [outlet] [since] [until]: what someone said, verbatim, from the quotations stored
 * with the archive's articles; paged (and shared, and rated) with /ask's buttons, whose handler pages it.
 */
export default {
  data: {
    name: 'quotes',
    description: 'What someone said: their direct quotations in the archive',
    ...IN_SERVERS_AND_DMS,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'speaker',
        description: 'Who (a name as the archive quotes it: "blair", "Tony Blair", "Mr Blair")',
        required: true,
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'about',
        description: 'Only on this topic (most relevant first)',
        max_length: MAX_QUESTION_CHARS,
      },
      ...FILTER_OPTIONS,
    ],
  },

  async execute(interaction, ctx) {
    // Checked before deferring, so a mistake is answered at once and privately.
    const speaker = interaction.options.getString('speaker', true).trim();
    if (!speaker) throw new UserFacingError('Name a speaker, for example `blair` or `Tony Blair`.');
    const filters = prepareFilters(ctx, filtersOf(interaction.options));
    const about = interaction.options.getString('about')?.trim() || null;
    await ctx.search.refresh();
    if (!isQuoted(ctx, speaker)) {
      await interaction.reply({
        content: truncateWords(
          `${noQuotationsLine(speaker)} \`/ask\` may still find what was reported of them.`,
          LIMITS.content,
        ),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    await interaction.deferReply();
    const record = await ctx.answers.create({
      question: about ? `${speaker} about ${about}` : speaker,
      filters,
      perPage: DEFAULT_PER_PAGE,
      userId: interaction.user.id,
      createdAt: ctx.now().toISOString(),
      speaker,
      about,
    });
    const { payload } = await answerPage(ctx, record, 0, { shareable: false });
    await interaction.editReply(payload);
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'outlet')
      await interaction.respond(outletChoices(ctx.search.articles, focused.value));
    else if (focused.name === 'speaker')
      await interaction.respond(speakerChoices(ctx.search.articles, focused.value));
    else await interaction.respond([]);
  },
} satisfies Command;
