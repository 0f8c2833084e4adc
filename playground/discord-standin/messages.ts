/** Creating, editing and deleting messages, with validation and the gateway events Discord sends for them. */

import { INTENT } from './constants.js';
import { validateMessageBody } from './limits.js';
import { MessageFlag, memberPayload, messagePayload, THREAD_TYPES } from './payloads.js';
import type { RouteContext } from './router.js';
import type { ChannelRecord, StandInState, StoredAttachment, StoredMessage } from './state.js';
import { errors, type FormErrors, isRecord, type Json } from './util.js';

/** Flags a bot may set when creating a message (ephemeral only through interactions). */
const CREATE_FLAGS = MessageFlag.SuppressEmbeds | 4096 | 8192 | MessageFlag.ComponentsV2;
/** Flags an edit may change. */
const EDIT_FLAGS = MessageFlag.SuppressEmbeds | MessageFlag.ComponentsV2;

export interface CreateOptions {
  channel: ChannelRecord;
  authorId: string;
  type?: number;
  interactionId?: string;
  webhookId?: string;
  /** Extra flags allowed on create (Ephemeral for interaction responses). */
  extraFlags?: number;
  /** Prefix of error paths (['data'] for interaction callbacks). */
  errorPrefix?: Array<string | number>;
  /** Skip the empty-message check (deferred "thinking" placeholder). */
  placeholder?: boolean;
}

function attachmentsFrom(
  state: StandInState,
  ctx: Pick<RouteContext, 'files'>,
  body: Record<string, Json>,
  existing: StoredAttachment[],
): StoredAttachment[] {
  const listed: unknown[] | undefined = Array.isArray(body.attachments) ? body.attachments : undefined;
  const kept = listed
    ? existing.filter((a) => listed.some((l) => isRecord(l) && String(l.id) === a.id))
    : [...existing];
  for (const [index, file] of ctx.files.entries()) {
    const n = /^files\[(\d+)\]$/.exec(file.key)?.[1] ?? String(index);
    const meta = listed?.find((l) => isRecord(l) && String(l.id) === n) as Record<string, Json> | undefined;
    kept.push({
      id: state.ids.next(),
      filename: typeof meta?.filename === 'string' ? meta.filename : file.filename,
      size: file.size,
      ...(file.contentType ? { content_type: file.contentType } : {}),
      ...(typeof meta?.description === 'string' ? { description: meta.description } : {}),
    });
  }
  return kept;
}

function isEmpty(
  m: Pick<StoredMessage, 'content' | 'embeds' | 'components' | 'attachments' | 'poll'>,
): boolean {
  return (
    m.content.trim() === '' &&
    m.embeds.length === 0 &&
    m.components.length === 0 &&
    m.attachments.length === 0 &&
    m.poll === undefined
  );
}

function checkReference(
  state: StandInState,
  channel: ChannelRecord,
  body: Record<string, Json>,
  errs: FormErrors,
) {
  const ref = body.message_reference;
  if (!isRecord(ref) || ref.message_id == null) return undefined;
  const target = state.messages.get(String(ref.message_id));
  const path = ['message_reference'];
  if (!target || target.deleted || (target.flags & MessageFlag.Ephemeral) !== 0) {
    if (ref.fail_if_not_exists !== false) errs.add(path, 'REPLIES_UNKNOWN_MESSAGE', 'Unknown message');
    return undefined;
  }
  if (target.channelId !== channel.id && (ref.type ?? 0) === 0) {
    errs.add(
      path,
      'REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL',
      'Cannot reply to a message in a different channel',
    );
    return undefined;
  }
  return target.id;
}

export function createMessage(
  state: StandInState,
  ctx: Pick<RouteContext, 'files'>,
  body: Record<string, Json>,
  opts: CreateOptions,
): StoredMessage {
  const prefix = opts.errorPrefix ?? [];
  const errs = validateMessageBody(body, prefix);
  const referencedMessageId = opts.interactionId
    ? undefined
    : checkReference(state, opts.channel, body, errs);
  errs.throwIfAny();
  const flags = (typeof body.flags === 'number' ? body.flags : 0) & (CREATE_FLAGS | (opts.extraFlags ?? 0));
  const msg: StoredMessage = {
    id: state.ids.next(),
    channelId: opts.channel.id,
    ...(opts.channel.guildId ? { guildId: opts.channel.guildId } : {}),
    authorId: opts.authorId,
    content: typeof body.content === 'string' ? body.content : '',
    embeds: Array.isArray(body.embeds) ? structuredClone(body.embeds).map(normalizeEmbed) : [],
    components: Array.isArray(body.components) ? structuredClone(body.components) : [],
    flags,
    allowedMentions: body.allowed_mentions === undefined ? undefined : structuredClone(body.allowed_mentions),
    attachments: [],
    type: opts.type ?? (referencedMessageId ? 19 : 0),
    tts: body.tts === true,
    createdAt: state.now(),
    deleted: false,
    ...(referencedMessageId ? { referencedMessageId } : {}),
    ...(opts.interactionId ? { interactionId: opts.interactionId } : {}),
    ...(opts.webhookId ? { webhookId: opts.webhookId } : {}),
    ...(body.poll != null ? { poll: body.poll } : {}),
  };
  msg.attachments = attachmentsFrom(state, ctx, body, []);
  if (!opts.placeholder && isEmpty(msg)) throw errors.emptyMessage();
  state.messages.set(msg.id, msg);
  if ((flags & MessageFlag.Ephemeral) === 0) opts.channel.lastMessageId = msg.id;
  emitMessageEvent(state, 'MESSAGE_CREATE', msg);
  return msg;
}

/** Applies an edit body: fields present replace, absent fields stay; a loading placeholder stops loading. */
export function editMessage(
  state: StandInState,
  ctx: Pick<RouteContext, 'files'>,
  msg: StoredMessage,
  body: Record<string, Json>,
  errorPrefix: Array<string | number> = [],
): StoredMessage {
  const errs = validateMessageBody({ ...body, flags: body.flags ?? msg.flags }, errorPrefix);
  errs.throwIfAny();
  const next: StoredMessage = { ...msg };
  if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body)
    next.embeds = Array.isArray(body.embeds) ? structuredClone(body.embeds).map(normalizeEmbed) : [];
  if ('components' in body)
    next.components = Array.isArray(body.components) ? structuredClone(body.components) : [];
  if ('allowed_mentions' in body) next.allowedMentions = structuredClone(body.allowed_mentions);
  if ('poll' in body && body.poll != null) next.poll = body.poll;
  next.attachments = attachmentsFrom(state, ctx, body, msg.attachments);
  let flags = msg.flags & ~MessageFlag.Loading;
  if (typeof body.flags === 'number') flags = (flags & ~EDIT_FLAGS) | (body.flags & EDIT_FLAGS);
  next.flags = flags;
  if (isEmpty(next)) throw errors.emptyMessage();
  next.editedAt = state.now();
  Object.assign(msg, next);
  emitMessageEvent(state, 'MESSAGE_UPDATE', msg);
  return msg;
}

export function deleteMessage(state: StandInState, msg: StoredMessage): void {
  msg.deleted = true;
  if ((msg.flags & MessageFlag.Ephemeral) !== 0) return;
  const channel = state.channels.get(msg.channelId);
  const intent = channel?.type === 1 ? INTENT.DirectMessages : INTENT.GuildMessages;
  state.dispatcher(
    'MESSAGE_DELETE',
    { id: msg.id, channel_id: msg.channelId, ...(msg.guildId ? { guild_id: msg.guildId } : {}) },
    { intent, ...(msg.guildId ? { guildId: msg.guildId } : {}) },
  );
}

/** Gateway MESSAGE_CREATE / MESSAGE_UPDATE for a visible message (needs GUILD_MESSAGES or DIRECT_MESSAGES). */
export function emitMessageEvent(state: StandInState, event: string, msg: StoredMessage): void {
  if ((msg.flags & MessageFlag.Ephemeral) !== 0) return;
  const channel = state.channels.get(msg.channelId);
  if (!channel) return;
  const data = messagePayload(state, msg);
  if (channel.guildId) {
    const guild = state.guildById(channel.guildId);
    data.guild_id = channel.guildId;
    if (guild) {
      const member = memberPayload(state, guild, msg.authorId);
      delete member.user;
      data.member = member;
    }
    // Without the Message Content intent a bot gets no content of a server message, unless it wrote it
    // or is mentioned in it (https://discord.com/developers/docs/events/gateway#message-content-intent).
    const forBot =
      msg.authorId === state.botUserId ||
      new RegExp(`<@!?${state.botUserId}>`).test(msg.content) ||
      (msg.referencedMessageId !== undefined &&
        state.messages.get(msg.referencedMessageId)?.authorId === state.botUserId);
    const withoutContent = forBot
      ? undefined
      : { ...data, content: '', embeds: [], attachments: [], components: [] };
    state.dispatcher(event, data, {
      intent: INTENT.GuildMessages,
      guildId: channel.guildId,
      ...(withoutContent ? { withoutContent } : {}),
    });
  } else {
    data.channel_type = channel.type;
    state.dispatcher(event, data, { intent: INTENT.DirectMessages });
  }
}

/** Discord fills `type: 'rich'` and drops nulls; keep what the bot sent otherwise. */
function normalizeEmbed(embed: unknown): unknown {
  if (!isRecord(embed)) return embed;
  const out: Record<string, unknown> = { type: 'rich' };
  for (const [k, v] of Object.entries(embed)) if (v != null) out[k] = v;
  if (Array.isArray(out.fields) && out.fields.length === 0) delete out.fields;
  return out;
}

/** A message sent by a person (DM or guild channel). */
export function createUserMessage(
  state: StandInState,
  channel: ChannelRecord,
  authorId: string,
  content: string,
): StoredMessage {
  const msg: StoredMessage = {
    id: state.ids.next(),
    channelId: channel.id,
    ...(channel.guildId ? { guildId: channel.guildId } : {}),
    authorId,
    content,
    embeds: [],
    components: [],
    flags: 0,
    allowedMentions: undefined,
    attachments: [],
    type: 0,
    tts: false,
    createdAt: state.now(),
    deleted: false,
  };
  state.messages.set(msg.id, msg);
  channel.lastMessageId = msg.id;
  // Writing in a thread makes one a member of it.
  if (THREAD_TYPES.has(channel.type)) channel.threadMemberIds?.add(authorId);
  emitMessageEvent(state, 'MESSAGE_CREATE', msg);
  return msg;
}
