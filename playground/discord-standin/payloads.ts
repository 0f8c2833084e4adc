/** Builders for the objects Discord sends: users, members, roles, guilds, channels, messages. */

import { BOT_ROLE_PERMISSIONS, EVERYONE_PERMISSIONS, INTENT } from './constants.js';
import type { ChannelRecord, GuildRecord, StandInState, StoredMessage } from './state.js';
import type { RecordedMessage } from './types.js';
import { isoTimestamp, type Json } from './util.js';

export const MessageFlag = {
  SuppressEmbeds: 4,
  HasThread: 32,
  Ephemeral: 64,
  Loading: 128,
  ComponentsV2: 1 << 15,
};

/** Thread channel types: announcement thread, public thread, private thread. */
export const THREAD_TYPES = new Set([10, 11, 12]);

export function userPayload(state: StandInState, id: string): Record<string, unknown> {
  const u = state.users.get(id) ?? { id, username: `user-${id}` };
  const bot = 'bot' in u && u.bot === true;
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: bot ? null : u.username,
    avatar: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    ...(bot ? { bot: true } : {}),
  };
}

export function rolesOf(state: StandInState, guild: GuildRecord): Array<Record<string, unknown>> {
  const role = (id: string, name: string, position: number, permissions: bigint, botId?: string) => ({
    id,
    name,
    description: null,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: botId !== undefined,
    mentionable: false,
    flags: 0,
    ...(botId ? { tags: { bot_id: botId } } : {}),
  });
  return [
    role(guild.id, '@everyone', 0, EVERYONE_PERMISSIONS),
    role(guild.botRoleId, state.botUsername, 1, BOT_ROLE_PERMISSIONS, state.botUserId),
  ];
}

export function memberPayload(
  state: StandInState,
  guild: GuildRecord,
  userId: string,
  extra: { roles?: string[]; permissions?: string } = {},
): Record<string, unknown> {
  const isBot = userId === state.botUserId;
  return {
    user: userPayload(state, userId),
    roles: extra.roles ?? (isBot ? [guild.botRoleId] : []),
    nick: null,
    avatar: null,
    banner: null,
    premium_since: null,
    joined_at: isoTimestamp(guild.joinedAt),
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    unusual_dm_activity_until: null,
    ...(extra.permissions !== undefined ? { permissions: extra.permissions } : {}),
  };
}

export function channelPayload(state: StandInState, ch: ChannelRecord): Record<string, unknown> {
  if (ch.type === 1) {
    return {
      id: ch.id,
      type: 1,
      last_message_id: ch.lastMessageId,
      flags: 0,
      recipients: ch.recipientId ? [userPayload(state, ch.recipientId)] : [],
    };
  }
  if (THREAD_TYPES.has(ch.type)) {
    const messages = [...state.messages.values()].filter((m) => m.channelId === ch.id && !m.deleted);
    return {
      id: ch.id,
      type: ch.type,
      guild_id: ch.guildId,
      parent_id: ch.parentId ?? null,
      owner_id: ch.ownerId ?? null,
      name: ch.name,
      last_message_id: ch.lastMessageId,
      rate_limit_per_user: 0,
      flags: 0,
      message_count: messages.length,
      total_message_sent: messages.length,
      member_count: Math.min(50, ch.threadMemberIds?.size ?? 0),
      thread_metadata: {
        archived: false,
        auto_archive_duration: ch.autoArchiveDuration ?? 1440,
        archive_timestamp: isoTimestamp(ch.createdAt ?? state.now()),
        locked: false,
        create_timestamp: isoTimestamp(ch.createdAt ?? state.now()),
        ...(ch.type === 12 ? { invitable: true } : {}),
      },
    };
  }
  const base: Record<string, unknown> = {
    id: ch.id,
    type: ch.type,
    guild_id: ch.guildId,
    name: ch.name,
    position: ch.position,
    permission_overwrites: [],
    parent_id: ch.parentId ?? null,
    flags: 0,
  };
  if (ch.type === 0 || ch.type === 5) {
    Object.assign(base, {
      topic: null,
      nsfw: false,
      last_message_id: ch.lastMessageId,
      rate_limit_per_user: 0,
      last_pin_timestamp: null,
    });
  } else if (ch.type === 2 || ch.type === 13) {
    Object.assign(base, {
      bitrate: 64000,
      user_limit: 0,
      rtc_region: null,
      nsfw: false,
      rate_limit_per_user: 0,
    });
  }
  return base;
}

/** The guild object of GUILD_CREATE. */
export function guildCreatePayload(state: StandInState, guild: GuildRecord, intents: number) {
  const firstText = guild.channelIds.map((id) => state.channels.get(id)).find((c) => c?.type === 0);
  const memberIds =
    intents & (INTENT.GuildMembers | INTENT.GuildPresences)
      ? [state.botUserId, ...state.userOrder.filter((id) => state.isMember(guild, id))]
      : [state.botUserId];
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: rolesOf(state, guild),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: firstText?.id ?? null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_presences: null,
    max_members: 500000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw: false,
    nsfw_level: 0,
    hub_type: null,
    incidents_data: null,
    joined_at: isoTimestamp(guild.joinedAt),
    large: false,
    lazy: true,
    unavailable: false,
    member_count: state.userOrder.filter((id) => state.isMember(guild, id)).length + 2,
    voice_states: [],
    members: memberIds.map((id) => memberPayload(state, guild, id)),
    channels: guild.channelIds.flatMap((id) => {
      const ch = state.channels.get(id);
      return ch ? [channelPayload(state, ch)] : [];
    }),
    // Active threads of the server (GUILD_CREATE carries them, so a client knows them after a restart).
    threads: [...state.channels.values()]
      .filter((c) => c.guildId === guild.id && THREAD_TYPES.has(c.type) && !c.missing)
      .map((c) => channelPayload(state, c)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
    activity_instances: [],
  };
}

function interactionMetadata(state: StandInState, msg: StoredMessage) {
  const interaction = msg.interactionId ? state.interactions.get(msg.interactionId) : undefined;
  if (!interaction) return {};
  const owners = interaction.payload.authorizing_integration_owners;
  const metadata: Record<string, unknown> = {
    id: interaction.id,
    type: interaction.type,
    user: userPayload(state, interaction.userId),
    authorizing_integration_owners: owners,
    ...(interaction.commandName ? { name: interaction.commandName, command_type: 1 } : {}),
    ...(interaction.sourceMessageId ? { interacted_message_id: interaction.sourceMessageId } : {}),
    ...(interaction.originalMessageId && interaction.originalMessageId !== msg.id
      ? { original_response_message_id: interaction.originalMessageId }
      : {}),
  };
  return {
    interaction_metadata: metadata,
    interaction: {
      id: interaction.id,
      type: interaction.type,
      name: interaction.commandName ?? '',
      user: userPayload(state, interaction.userId),
    },
  };
}

/** A message object as REST answers it (gateway events add guild_id/member/channel_type). */
export function messagePayload(state: StandInState, msg: StoredMessage, depth = 0): Record<string, Json> {
  const ref = msg.referencedMessageId ? state.messages.get(msg.referencedMessageId) : undefined;
  const mentions = mentionedUserIds(state, msg);
  return {
    id: msg.id,
    type: msg.type,
    channel_id: msg.channelId,
    author: userPayload(state, msg.authorId),
    content: msg.content,
    timestamp: isoTimestamp(msg.createdAt),
    edited_timestamp: msg.editedAt === undefined ? null : isoTimestamp(msg.editedAt),
    tts: msg.tts,
    mention_everyone: mentionsEveryone(msg),
    mentions: mentions.map((id) => userPayload(state, id)),
    mention_roles: [],
    attachments: msg.attachments.map((a) => ({
      ...a,
      url: `https://cdn.discordapp.com/attachments/${msg.channelId}/${a.id}/${a.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${msg.channelId}/${a.id}/${a.filename}`,
    })),
    embeds: msg.embeds,
    components: msg.components,
    pinned: false,
    flags: msg.flags,
    ...(msg.webhookId ? { webhook_id: msg.webhookId, application_id: state.applicationId } : {}),
    ...(msg.poll ? { poll: msg.poll } : {}),
    ...(ref
      ? {
          message_reference: {
            type: 0,
            message_id: ref.id,
            channel_id: ref.channelId,
            ...(ref.guildId ? { guild_id: ref.guildId } : {}),
          },
          referenced_message: depth === 0 ? messagePayload(state, ref, 1) : null,
        }
      : {}),
    ...interactionMetadata(state, msg),
  };
}

/** Users Discord would ping: `<@id>` in content filtered by allowed_mentions (plus the replied-to author). */
export function mentionedUserIds(state: StandInState, msg: StoredMessage): string[] {
  const am = msg.allowedMentions as
    | { parse?: string[]; users?: string[]; replied_user?: boolean }
    | undefined;
  const found = [...msg.content.matchAll(/<@!?(\d{5,20})>/g)].map((m) => m[1] as string);
  const allowed = (id: string) =>
    !am || am.parse?.includes('users') === true || am.users?.includes(id) === true;
  const ids = new Set(found.filter(allowed));
  const ref = msg.referencedMessageId ? state.messages.get(msg.referencedMessageId) : undefined;
  if (ref && ref.authorId !== state.botUserId && (!am || am.replied_user === true)) ids.add(ref.authorId);
  return [...ids];
}

export function mentionsEveryone(msg: StoredMessage): boolean {
  const am = msg.allowedMentions as { parse?: string[] } | undefined;
  return /@(everyone|here)\b/.test(msg.content) && (!am || am.parse?.includes('everyone') === true);
}

export function recordedMessage(state: StandInState, msg: StoredMessage): RecordedMessage {
  return {
    id: msg.id,
    channelId: msg.channelId,
    ...(msg.guildId ? { guildId: msg.guildId } : {}),
    content: msg.content,
    embeds: structuredClone(msg.embeds),
    components: structuredClone(msg.components),
    flags: msg.flags,
    ephemeral: (msg.flags & MessageFlag.Ephemeral) !== 0,
    allowedMentions: msg.allowedMentions === undefined ? undefined : structuredClone(msg.allowedMentions),
    authorId: msg.authorId,
    type: msg.type,
    attachments: msg.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.size,
      ...(a.content_type ? { contentType: a.content_type } : {}),
    })),
    mentionedUserIds: mentionedUserIds(state, msg),
    mentionEveryone: mentionsEveryone(msg),
    ...(msg.referencedMessageId ? { referencedMessageId: msg.referencedMessageId } : {}),
    ...(msg.interactionId ? { interactionId: msg.interactionId } : {}),
    loading: (msg.flags & MessageFlag.Loading) !== 0,
    createdAt: msg.createdAt,
    ...(msg.editedAt !== undefined ? { editedAt: msg.editedAt } : {}),
    ...(msg.deleted ? { deleted: true } : {}),
  };
}
