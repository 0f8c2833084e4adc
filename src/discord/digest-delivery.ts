import { type Client, DiscordAPIError, type SendableChannels } from 'discord.js';
import type { Digest } from '../digest/build.js';
import type { DeliveryResult, DigestPoster, PostResult } from '../digest/delivery.js';
import { describeTarget, type Subscription } from '../digest/subscription.js';
import { describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { NO_MENTIONS } from './answer-format.js';
import { renderDigest } from './digest-format.js';
import type { GuildAccess } from './guild-access.js';

/** Why a post failed, in words the person who made the subscription can act on. */
export function describeDeliveryError(error: unknown): string {
  if (error instanceof DiscordAPIError) {
    switch (Number(error.code)) {
      case 10003:
        return 'the channel no longer exists';
      case 50001:
        return 'the bot cannot see that channel (View Channel)';
      case 50013:
        return 'the bot may not post there (it needs View Channel, Send Messages and Embed Links)';
      case 50007:
        return 'that person does not accept direct messages from the bot';
      case 10013:
        return 'that person can no longer be reached';
      default:
        return `Discord refused the post (${error.code}: ${error.message})`;
    }
  }
  return `Discord could not be reached (${describeError(error)})`;
}

/**
 * Posts digests to their channel or DM, and tells a creator when their subscription was paused. With
 * DISCORD_ALLOWED_GUILDS set, a digest goes only to a channel of an allowed server, or by DM to a member of
 * one: a subscription made before the list was set, or by someone who has since left, fails (and pauses).
 */
export function createDigestDelivery(client: Client, log: Logger, access: GuildAccess) {
  async function refusal(subscription: Subscription): Promise<string | null> {
    const { target } = subscription;
    if (target.kind === 'channel')
      return access.allowsGuild(target.guildId) ? null : 'that server is not in DISCORD_ALLOWED_GUILDS';
    const membership = await access.membership(target.userId);
    if (membership === 'member') return null;
    return membership === 'stranger'
      ? 'that person is not a member of an allowed server'
      : 'Discord could not confirm that person is a member of an allowed server';
  }

  async function resolve(subscription: Subscription): Promise<SendableChannels> {
    if (subscription.target.kind === 'dm') {
      const user = await client.users.fetch(subscription.target.userId);
      return user.createDM();
    }
    const channel = await client.channels.fetch(subscription.target.channelId);
    if (!channel?.isSendable()) throw new Error('the target is not a channel the bot can post in');
    return channel;
  }

  const poster = {
    messageCount: (subscription: Subscription, digest: Digest) => renderDigest(subscription, digest).length,
    async post(subscription: Subscription, digest: Digest, index: number): Promise<PostResult> {
      const message = renderDigest(subscription, digest)[index];
      if (!message) return { ok: false, reason: `the digest has no message ${index + 1}` };
      const refused = await refusal(subscription);
      if (refused) {
        log.warn({ subscription: subscription.id, reason: refused }, 'digest not posted: not allowed');
        return { ok: false, reason: refused };
      }
      try {
        const channel = await resolve(subscription);
        await channel.send(message);
        return { ok: true };
      } catch (error) {
        log.warn({ err: error, subscription: subscription.id, message: index + 1 }, 'digest delivery failed');
        return { ok: false, reason: describeDeliveryError(error) };
      }
    },
  } satisfies DigestPoster;

  return {
    poster,

    /** Posts a whole digest at once (instant alerts): every message in order, stopping at the first failure. */
    async deliver(subscription: Subscription, digest: Digest): Promise<DeliveryResult> {
      const count = renderDigest(subscription, digest).length;
      for (let index = 0; index < count; index++) {
        const posted = await poster.post(subscription, digest, index);
        if (!posted.ok) return posted;
      }
      return { ok: true, messages: count };
    },

    async notifyPaused(subscription: Subscription, reason: string): Promise<void> {
      const user = await client.users.fetch(subscription.createdBy);
      await user.send({
        content:
          `Your Clipdesk digest \`${subscription.id}\` (${subscription.schedule.text}, ${subscription.timeZone}) for ${describeTarget(subscription.target)} ` +
          `is paused after ${subscription.consecutiveFailures} failed runs: ${reason}. ` +
          `Once that is fixed, \`/digest resume id:${subscription.id}\` starts it again; \`/digest unsubscribe\` removes it.`,
        allowedMentions: NO_MENTIONS,
      });
    },
  };
}
