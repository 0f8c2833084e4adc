/** Bot-authenticated REST routes: gateway info, users, application, guilds, channels and messages. */
import { commandRoutes } from './commands.js';
import { INTENT } from './constants.js';
import { createMessage, deleteMessage, editMessage, emitMessageEvent } from './messages.js';
import {
  channelPayload,
  guildCreatePayload,
  MessageFlag,
  memberPayload,
  messagePayload,
  rolesOf,
  THREAD_TYPES,
  userPayload,
} from './payloads.js';
import { type Route, type RouteContext, route } from './router.js';
import type { ChannelRecord, StandInState, StoredMessage } from './state.js';
import { errors, FormErrors, isoTimestamp, isRecord } from './util.js';

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

/** A thread member object (GET thread-members, THREAD_MEMBER_UPDATE). */
function threadMemberPayload(state: StandInState, thread: ChannelRecord, userId: string) {
  return {
    id: thread.id,
    user_id: userId,
    join_timestamp: isoTimestamp(thread.createdAt ?? state.now()),
    flags: 0,
  };
}

/**
 * Start Thread from Message: a public thread whose id is the message's, the bot its first member;
 * THREAD_CREATE (newly_created) and the bot's THREAD_MEMBER_UPDATE are dispatched, and the message gains
 * the HAS_THREAD flag. A second thread on the same message is refused with 160004, as on Discord.
 */
function startThreadFromMessage(ctx: RouteContext) {
  const ch = channelFor(ctx, true);
  if (ch.type !== 0 && ch.type !== 5) throw errors.badRequest('Cannot start a thread here');
  const msg = visibleMessage(ctx, ch);
  const { state } = ctx;
  if (state.channels.has(msg.id)) throw errors.threadExists();
  const body = isRecord(ctx.body) ? ctx.body : {};
  const errs = new FormErrors();
  const name = typeof body.name === 'string' ? body.name : '';
  if ([...name].length < 1 || [...name].length > 100)
    errs.add(['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  const duration = body.auto_archive_duration ?? 4320;
  if (!ARCHIVE_DURATIONS.includes(duration))
    errs.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', 'Value must be one of (60, 1440, 4320, 10080).');
  errs.throwIfAny();
  const thread: ChannelRecord = {
    id: msg.id,
    type: ch.type === 5 ? 10 : 11,
    name,
    ...(ch.guildId ? { guildId: ch.guildId } : {}),
    position: 0,
    lastMessageId: null,
    missing: false,
    denied: false,
    parentId: ch.id,
    ownerId: state.botUserId,
    autoArchiveDuration: duration,
    createdAt: state.now(),
    threadMemberIds: new Set([state.botUserId]),
  };
  state.channels.set(thread.id, thread);
  msg.flags |= MessageFlag.HasThread;
  emitMessageEvent(state, 'MESSAGE_UPDATE', msg);
  const guildId = ch.guildId as string;
  state.dispatcher(
    'THREAD_CREATE',
    { ...channelPayload(state, thread), newly_created: true },
    { intent: INTENT.Guilds, guildId },
  );
  state.dispatcher(
    'THREAD_MEMBER_UPDATE',
    { ...threadMemberPayload(state, thread, state.botUserId), guild_id: guildId },
    { intent: INTENT.Guilds, guildId },
  );
  return { status: 201, body: channelPayload(state, thread) };
}

function threadFor(ctx: RouteContext): ChannelRecord {
  const ch = channelFor(ctx, false);
  if (!THREAD_TYPES.has(ch.type)) throw errors.badRequest('Not a thread');
  return ch;
}

const GATEWAY_ONLY_GUILD_FIELDS = [
  'joined_at',
  'large',
  'lazy',
  'unavailable',
  'member_count',
  'voice_states',
  'members',
  'channels',
  'threads',
  'presences',
  'stage_instances',
  'guild_scheduled_events',
  'soundboard_sounds',
  'embedded_activities',
  'activity_instances',
];

export interface BotRouteOptions {
  gatewayUrl: () => string;
}

function channelFor(ctx: RouteContext, write: boolean): ChannelRecord {
  const ch = ctx.state.channels.get(ctx.params.channel ?? '');
  if (!ch || ch.missing) throw errors.unknownChannel();
  if (ch.denied) throw write ? errors.missingPermissions() : errors.missingAccess();
  return ch;
}

function visibleMessage(ctx: RouteContext, ch: ChannelRecord): StoredMessage {
  const msg = ctx.state.messages.get(ctx.params.message ?? '');
  if (!msg || msg.deleted || msg.channelId !== ch.id || (msg.flags & MessageFlag.Ephemeral) !== 0) {
    throw errors.unknownMessage();
  }
  return msg;
}

function applicationPayload(state: StandInState) {
  return {
    id: state.applicationId,
    name: state.botUsername,
    icon: null,
    description: '',
    summary: '',
    type: null,
    hook: true,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: (1 << 19) | (1 << 23),
    bot: userPayload(state, state.botUserId),
    owner: userPayload(state, state.guilds[0]?.ownerId ?? state.botUserId),
    team: null,
    integration_types_config: { '0': {} },
    approximate_guild_count: state.guilds.length,
    redirect_uris: [],
    interactions_endpoint_url: null,
    tags: [],
  };
}

function listMessages(ctx: RouteContext, ch: ChannelRecord) {
  const limit = Math.min(Math.max(Number(ctx.query.get('limit') ?? 50) || 50, 1), 100);
  const before = ctx.query.get('before');
  const after = ctx.query.get('after');
  let list = [...ctx.state.messages.values()].filter(
    (m) => m.channelId === ch.id && !m.deleted && (m.flags & MessageFlag.Ephemeral) === 0,
  );
  const cmp = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  list.sort((a, b) => cmp(b.id, a.id));
  if (before) list = list.filter((m) => cmp(m.id, before) < 0);
  if (after) list = list.filter((m) => cmp(m.id, after) > 0).slice(-limit);
  return list.slice(0, limit).map((m) => messagePayload(ctx.state, m));
}

export function botRoutes(opts: BotRouteOptions): Route[] {
  return [
    route('GET', '/gateway', () => ({ status: 200, body: { url: opts.gatewayUrl() } }), false),
    route('GET', '/gateway/bot', () => ({
      status: 200,
      body: {
        url: opts.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      },
    })),
    route('GET', '/users/@me', (ctx) => ({
      status: 200,
      body: {
        ...userPayload(ctx.state, ctx.state.botUserId),
        verified: true,
        mfa_enabled: false,
        locale: 'en-US',
        email: null,
      },
    })),
    route('POST', '/users/@me/channels', (ctx) => {
      const recipient = isRecord(ctx.body) ? String(ctx.body.recipient_id ?? '') : '';
      if (!ctx.state.users.has(recipient) || recipient === ctx.state.botUserId) throw errors.unknownUser();
      return { status: 200, body: channelPayload(ctx.state, ctx.state.ensureDmChannel(recipient)) };
    }),
    route('GET', '/users/:user', (ctx) => {
      if (!ctx.state.users.has(ctx.params.user ?? '')) throw errors.unknownUser();
      return { status: 200, body: userPayload(ctx.state, ctx.params.user ?? '') };
    }),
    // Leave Guild: 204, then GUILD_DELETE without `unavailable` (the bot was removed, not an outage).
    route('DELETE', '/users/@me/guilds/:guild', (ctx) => {
      const guild = ctx.state.joinedGuild(ctx.params.guild ?? '');
      if (!guild) throw errors.unknownGuild();
      guild.left = true;
      ctx.state.dispatcher('GUILD_DELETE', { id: guild.id }, { intent: INTENT.Guilds, guildId: guild.id });
      return { status: 204 };
    }),
    route('GET', '/applications/@me', (ctx) => ({ status: 200, body: applicationPayload(ctx.state) })),
    route('GET', '/oauth2/applications/@me', (ctx) => ({ status: 200, body: applicationPayload(ctx.state) })),
    ...commandRoutes(),
    route('GET', '/guilds/:guild', (ctx) => {
      const guild = ctx.state.joinedGuild(ctx.params.guild ?? '');
      if (!guild) throw errors.unknownGuild();
      const body: Record<string, unknown> = guildCreatePayload(ctx.state, guild, 0);
      for (const key of GATEWAY_ONLY_GUILD_FIELDS) delete body[key];
      return { status: 200, body };
    }),
    route('GET', '/guilds/:guild/channels', (ctx) => {
      const guild = ctx.state.joinedGuild(ctx.params.guild ?? '');
      if (!guild) throw errors.unknownGuild();
      return { status: 200, body: guildCreatePayload(ctx.state, guild, 0).channels };
    }),
    route('GET', '/guilds/:guild/roles', (ctx) => {
      const guild = ctx.state.joinedGuild(ctx.params.guild ?? '');
      if (!guild) throw errors.unknownGuild();
      return { status: 200, body: rolesOf(ctx.state, guild) };
    }),
    route('GET', '/guilds/:guild/members/:user', (ctx) => {
      const guild = ctx.state.joinedGuild(ctx.params.guild ?? '');
      if (!guild) throw errors.unknownGuild();
      const userId = ctx.params.user ?? '';
      if (!ctx.state.users.has(userId)) throw errors.unknownUser();
      if (!ctx.state.isMember(guild, userId)) throw errors.unknownMember();
      return { status: 200, body: memberPayload(ctx.state, guild, userId) };
    }),
    route('GET', '/channels/:channel', (ctx) => ({
      status: 200,
      body: channelPayload(ctx.state, channelFor(ctx, false)),
    })),
    route('DELETE', '/channels/:channel', (ctx) => {
      const ch = channelFor(ctx, true);
      if (ch.type !== 1) throw errors.missingPermissions();
      return { status: 200, body: channelPayload(ctx.state, ch) };
    }),
    route('GET', '/channels/:channel/messages', (ctx) => ({
      status: 200,
      body: listMessages(ctx, channelFor(ctx, false)),
    })),
    route('POST', '/channels/:channel/messages', (ctx) => {
      const ch = channelFor(ctx, true);
      if (ch.type === 4 || ch.type === 15) {
        throw errors.nonTextChannel();
      }
      if (ch.type === 1 && ch.recipientId && ctx.state.dmBlocked.has(ch.recipientId)) throw errors.cannotDm();
      const body = isRecord(ctx.body) ? ctx.body : {};
      const msg = createMessage(ctx.state, ctx, body, { channel: ch, authorId: ctx.state.botUserId });
      return { status: 200, body: messagePayload(ctx.state, msg) };
    }),
    route('POST', '/channels/:channel/messages/:message/threads', startThreadFromMessage),
    route('GET', '/channels/:channel/thread-members', (ctx) => {
      const thread = threadFor(ctx);
      return {
        status: 200,
        body: [...(thread.threadMemberIds ?? [])].map((id) => threadMemberPayload(ctx.state, thread, id)),
      };
    }),
    route('PUT', '/channels/:channel/thread-members/@me', (ctx) => {
      threadFor(ctx).threadMemberIds?.add(ctx.state.botUserId);
      return { status: 204 };
    }),
    route('DELETE', '/channels/:channel/thread-members/@me', (ctx) => {
      threadFor(ctx).threadMemberIds?.delete(ctx.state.botUserId);
      return { status: 204 };
    }),
    route('POST', '/channels/:channel/typing', (ctx) => {
      channelFor(ctx, true);
      return { status: 204 };
    }),
    route('GET', '/channels/:channel/messages/:message', (ctx) => {
      const ch = channelFor(ctx, false);
      return { status: 200, body: messagePayload(ctx.state, visibleMessage(ctx, ch)) };
    }),
    route('PATCH', '/channels/:channel/messages/:message', (ctx) => {
      const ch = channelFor(ctx, true);
      const msg = visibleMessage(ctx, ch);
      if (msg.authorId !== ctx.state.botUserId) throw errors.cannotEditOthers();
      editMessage(ctx.state, ctx, msg, isRecord(ctx.body) ? ctx.body : {});
      return { status: 200, body: messagePayload(ctx.state, msg) };
    }),
    route('DELETE', '/channels/:channel/messages/:message', (ctx) => {
      const ch = channelFor(ctx, true);
      const msg = visibleMessage(ctx, ch);
      if (msg.authorId !== ctx.state.botUserId && ch.type === 1) throw errors.cannotEditOthers();
      deleteMessage(ctx.state, msg);
      return { status: 204 };
    }),
    route('PUT', '/channels/:channel/messages/:message/reactions/:emoji/@me', (ctx) => {
      visibleMessage(ctx, channelFor(ctx, true));
      return { status: 204 };
    }),
    route('DELETE', '/channels/:channel/messages/:message/reactions/:emoji/@me', (ctx) => {
      visibleMessage(ctx, channelFor(ctx, true));
      return { status: 204 };
    }),
  ];
}
