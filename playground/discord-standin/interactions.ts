/** Building and dispatching INTERACTION_CREATE payloads, and the handles tests use to inspect responses. */

import { BOT_ROLE_PERMISSIONS, EVERYONE_PERMISSIONS, PERM } from './constants.js';
import { channelPayload, memberPayload, messagePayload, recordedMessage, userPayload } from './payloads.js';
import type { ChannelRecord, InteractionRecord, StandInState } from './state.js';
import type {
  ClickButtonParams,
  CommandOption,
  InteractionHandle,
  InteractionTarget,
  SendAutocompleteParams,
  SendCommandParams,
  StandInUser,
} from './types.js';
import { interactionToken, isRecord, type Json } from './util.js';

interface Where {
  user: StandInUser;
  channel: ChannelRecord;
  guildId: string | null;
}

function resolveWhere(state: StandInState, p: InteractionTarget, channelHint?: ChannelRecord): Where {
  const user = p.user ? state.addUser(p.user) : state.userAt(p.userIdx ?? 0);
  if (channelHint) return { user, channel: channelHint, guildId: channelHint.guildId ?? null };
  if (p.guildId === null) {
    if (p.channelId && state.dmChannels.get(user.id) !== p.channelId) {
      throw new Error(`stand-in: channel ${p.channelId} is not the DM channel of user ${user.id}`);
    }
    return { user, channel: state.ensureDmChannel(user.id), guildId: null };
  }
  const guild = p.guildId === undefined ? state.guildAt(0) : state.guildById(p.guildId);
  if (!guild) throw new Error(`stand-in: unknown guild ${p.guildId}`);
  const channelId = p.channelId ?? guild.channelIds.find((id) => state.channels.get(id)?.type === 0);
  const channel = channelId === undefined ? undefined : state.channels.get(channelId);
  if (!channel || channel.guildId !== guild.id) {
    throw new Error(`stand-in: channel ${channelId} is not a channel of guild ${guild.id}`);
  }
  return { user, channel, guildId: guild.id };
}

/** Fills `resolved` for user/channel/role/mentionable options, as Discord does. */
function resolvedFor(state: StandInState, where: Where, options: CommandOption[] | undefined) {
  const resolved: Record<string, Record<string, unknown>> = {};
  const guild = where.guildId ? state.guildById(where.guildId) : undefined;
  const add = (kind: string, id: string, value: unknown) => {
    resolved[kind] ??= {};
    (resolved[kind] as Record<string, unknown>)[id] = value;
  };
  const walk = (opts: unknown[] | undefined) => {
    for (const o of opts ?? []) {
      if (!isRecord(o)) continue;
      const id = String(o.value ?? '');
      if ((o.type === 6 || o.type === 9) && state.users.has(id)) {
        add('users', id, userPayload(state, id));
        if (guild) {
          const member = memberPayload(state, guild, id, { permissions: EVERYONE_PERMISSIONS.toString() });
          delete member.user;
          add('members', id, member);
        }
      }
      const ch = o.type === 7 ? state.channels.get(id) : undefined;
      if (ch)
        add('channels', id, { ...channelPayload(state, ch), permissions: EVERYONE_PERMISSIONS.toString() });
      if ((o.type === 8 || o.type === 9) && guild && (id === guild.id || id === guild.botRoleId)) {
        add('roles', id, {
          id,
          name: id === guild.id ? '@everyone' : state.botUsername,
          permissions: '0',
          position: 0,
        });
      }
      if (Array.isArray(o.options)) walk(o.options);
    }
  };
  walk(options);
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

function basePayload(
  state: StandInState,
  type: number,
  where: Where,
  p: InteractionTarget,
  id: string,
  token: string,
) {
  const guild = where.guildId ? state.guildById(where.guildId) : undefined;
  let appPermissions = EVERYONE_PERMISSIONS | BOT_ROLE_PERMISSIONS;
  if (where.channel.denied) appPermissions &= ~PERM.SendMessages;
  const memberPermissions = p.memberPermissions ?? EVERYONE_PERMISSIONS.toString();
  const channel = {
    ...channelPayload(state, where.channel),
    ...(guild ? { permissions: memberPermissions } : {}),
  };
  return {
    id,
    application_id: state.applicationId,
    type,
    token,
    version: 1,
    ...(guild
      ? {
          guild_id: guild.id,
          guild: { id: guild.id, locale: 'en-US', features: [] },
          member: memberPayload(state, guild, where.user.id, {
            roles: p.roles ?? [],
            permissions: memberPermissions,
          }),
          guild_locale: 'en-US',
        }
      : { user: userPayload(state, where.user.id) }),
    channel,
    channel_id: where.channel.id,
    app_permissions: appPermissions.toString(),
    locale: p.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guild ? guild.id : '0' },
    context: guild ? 0 : 1,
    attachment_size_limit: 10_485_760,
  } as Record<string, Json>;
}

function commandData(state: StandInState, where: Where, name: string, options: CommandOption[] | undefined) {
  const cmd =
    state.commands.find((c) => c.guildId === where.guildId && c.name === name && c.type === 1) ??
    state.commands.find((c) => c.guildId === undefined && c.name === name && c.type === 1);
  const resolved = resolvedFor(state, where, options);
  return {
    id: cmd?.id ?? state.unregisteredCommandId(name),
    name,
    type: 1,
    ...(options ? { options: structuredClone(options) } : {}),
    ...(resolved ? { resolved } : {}),
    ...(cmd?.guildId ? { guild_id: cmd.guildId } : {}),
  };
}

function dispatch(state: StandInState, rec: InteractionRecord): InteractionHandle {
  state.interactions.set(rec.id, rec);
  state.interactionsByToken.set(rec.token, rec);
  state.dispatcher('INTERACTION_CREATE', rec.payload, rec.guildId ? { guildId: rec.guildId } : {});
  const original = () => {
    const msg = rec.originalMessageId ? state.messages.get(rec.originalMessageId) : undefined;
    return msg ? recordedMessage(state, msg) : undefined;
  };
  return {
    id: rec.id,
    token: rec.token,
    payload: rec.payload,
    callbacks: rec.callbacks,
    rejected: rec.rejected,
    original,
    followUps: () =>
      rec.followUpIds.flatMap((id) => {
        const msg = state.messages.get(id);
        return msg ? [recordedMessage(state, msg)] : [];
      }),
    waitForFinalReply: (timeoutMs = 5000) =>
      state.waitFor(
        () => (rec.finalReply ? original() : undefined),
        timeoutMs,
        `the final reply to interaction ${rec.id} (${rec.commandName ?? 'component'}); callbacks so far: ${JSON.stringify(rec.callbacks.map((c) => c.type))}, rejected: ${JSON.stringify(rec.rejected)}`,
      ),
    autocompleteChoices: () => (rec.choices ? structuredClone(rec.choices) : undefined),
    expire: () => {
      rec.expired = true;
      state.notify();
    },
  };
}

function newRecord(
  state: StandInState,
  type: number,
  where: Where,
  payload: Record<string, Json>,
): InteractionRecord {
  return {
    id: payload.id,
    token: payload.token,
    type,
    guildId: where.guildId,
    channelId: where.channel.id,
    userId: where.user.id,
    payload,
    dispatchedAt: state.now(),
    expired: false,
    acknowledged: false,
    followUpIds: [],
    finalReply: false,
    callbacks: [],
    rejected: [],
  };
}

export function sendCommand(
  state: StandInState,
  p: SendCommandParams,
  autocomplete = false,
): InteractionHandle {
  const where = resolveWhere(state, p);
  const id = state.ids.next();
  const type = autocomplete ? 4 : 2;
  const payload = basePayload(state, type, where, p, id, interactionToken(id));
  payload.data = commandData(state, where, p.name, p.options);
  if (p.attachments?.length && !autocomplete) {
    const data = payload.data as Record<string, Json>;
    const resolved = (data.resolved ?? {}) as Record<string, Json>;
    resolved.attachments = Object.fromEntries(
      p.attachments.map((a) => [
        a.id,
        {
          id: a.id,
          filename: a.filename,
          size: a.size,
          url: a.url,
          proxy_url: a.url,
          ...(a.contentType ? { content_type: a.contentType } : {}),
        },
      ]),
    );
    data.resolved = resolved;
  }
  if (autocomplete) delete payload.data.resolved;
  const rec = newRecord(state, type, where, payload);
  rec.commandName = p.name;
  return dispatch(state, rec);
}

export function sendAutocomplete(state: StandInState, p: SendAutocompleteParams): InteractionHandle {
  return sendCommand(state, p, true);
}

function findComponent(components: unknown[], customId: string): Record<string, Json> | undefined {
  for (const c of components) {
    if (!isRecord(c)) continue;
    if (c.custom_id === customId) return c;
    const nested = [
      ...(Array.isArray(c.components) ? c.components : []),
      ...(isRecord(c.accessory) ? [c.accessory] : []),
    ];
    const found = findComponent(nested, customId);
    if (found) return found;
  }
  return undefined;
}

export function clickButton(state: StandInState, p: ClickButtonParams): InteractionHandle {
  const stored = state.messages.get(p.message.id);
  if (!stored || stored.deleted)
    throw new Error(`stand-in: message ${p.message.id} does not exist (or was deleted)`);
  const button = findComponent(stored.components, p.customId);
  if (button?.type !== 2) {
    throw new Error(
      `stand-in: message ${stored.id} has no button with custom_id ${JSON.stringify(p.customId)}`,
    );
  }
  if (button.disabled === true) throw new Error(`stand-in: button ${JSON.stringify(p.customId)} is disabled`);
  const channel = state.channels.get(stored.channelId);
  if (!channel) throw new Error(`stand-in: channel ${stored.channelId} is gone`);
  const where = resolveWhere(state, p, channel);
  const id = state.ids.next();
  const payload = basePayload(state, 3, where, p, id, interactionToken(id));
  payload.data = { custom_id: p.customId, component_type: 2 };
  payload.message = messagePayload(state, stored);
  const rec = newRecord(state, 3, where, payload);
  rec.sourceMessageId = stored.id;
  return dispatch(state, rec);
}
