import { ChannelType, type Message, type MessageReplyOptions } from 'discord.js';
import { UserFacingError } from '../errors.js';
import { dmRefusal } from './admission.js';
import { NO_MENTIONS } from './answer-format.js';
import { DEFAULT_PER_PAGE, firstAnswerPage, prepareQuestion } from './answers.js';
import type { BotContext } from './context.js';
import { helpEmbed } from './help-text.js';
import { questionWords } from './question-text.js';
import { QuestionRateLimit } from './rate-limit.js';

/**
 * A direct message to the bot is a question, answered like /ask in the DM; `help` gets the help text.
 * Someone writing faster than the configured rate gets one friendly notice, then silence until the
 * minute has passed. With DISCORD_ALLOWED_GUILDS set, only members of an allowed server are answered.
 */
export function createDirectMessageHandler(ctx: BotContext): (message: Message) => Promise<void> {
  const limit = new QuestionRateLimit(ctx.config.dmQuestionsPerMinute, () => ctx.now().getTime());
  return async (message) => {
    if (message.author.bot || message.channel.type !== ChannelType.DM) return;
    const log = ctx.log.child({ messageId: message.id, dm: true });
    const reply = (payload: MessageReplyOptions) =>
      message.reply({ ...payload, allowedMentions: { ...NO_MENTIONS, repliedUser: false } });
    try {
      // Every DM counts, `help` and refusals included: a flood gets one notice, not a flood of replies
      // (nor a flood of membership look-ups).
      const { verdict, retryInSeconds } = limit.check(message.author.id);
      if (verdict === 'silent') {
        log.debug('direct message over the rate limit: ignored');
        return;
      }
      if (verdict === 'notice') {
        log.info('direct message over the rate limit: notice sent');
        await reply({
          content: `You're sending messages faster than I can answer them well (${ctx.config.dmQuestionsPerMinute} a minute). Send the next one in about ${retryInSeconds} seconds — I'll skip the ones in between.`,
        });
        return;
      }
      const refusal = dmRefusal(await ctx.access.membership(message.author.id));
      if (refusal) {
        log.warn({ userId: message.author.id }, 'direct message refused: not a member of an allowed server');
        await reply({ content: refusal });
        return;
      }
      // A mention of the bot (or anyone) is not part of the question, nor of `help`.
      const text = questionWords(message.content);
      if (/^[!/]?(help|hi|hello|\?)$/i.test(text)) {
        await reply({ embeds: [helpEmbed()] });
        return;
      }
      const prepared = prepareQuestion(ctx, text, {});
      await message.channel.sendTyping().catch(() => {});
      const { payload } = await firstAnswerPage(
        ctx,
        prepared,
        { perPage: DEFAULT_PER_PAGE, userId: message.author.id, createdAt: ctx.now().toISOString() },
        { shareable: false },
      );
      await reply(payload);
    } catch (error) {
      if (error instanceof UserFacingError) {
        await reply({ content: error.message }).catch((e: unknown) =>
          log.warn({ err: e }, 'could not answer a direct message'),
        );
        return;
      }
      log.error({ err: error }, 'direct message failed');
      await reply({
        content:
          'Sorry, something went wrong on our side while answering that. Please try again in a moment.',
      }).catch(() => {});
    }
  };
}
