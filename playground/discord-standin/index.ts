/**
 * A protocol-faithful local stand-in for Discord (REST + gateway on 127.0.0.1) for the real discord.js client:
 *
 *   const standIn = await startDiscordStandIn();
 *   const client = new Client({ intents, rest: { api: standIn.restUrl } });
 *   await client.login(standIn.token);
 *
 * discord.js appends `/v10` to `rest.api` and discovers the gateway from GET /gateway/bot.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INTENT } from './constants.js';
import { Gateway } from './gateway.js';
import { clickButton, sendAutocomplete, sendCommand } from './interactions.js';
import { createUserMessage } from './messages.js';
import { recordedMessage } from './payloads.js';
import { createRestHandler } from './rest.js';
import { botRoutes } from './routes-bot.js';
import { interactionRoutes } from './routes-interactions.js';
import { StandInState } from './state.js';
import type { DiscordStandIn, StandInOptions, StandInUser } from './types.js';

export type * from './types.js';
export { INTENT };

export async function startDiscordStandIn(options: StandInOptions = {}): Promise<DiscordStandIn> {
  const state = new StandInState(options);
  let gatewayUrl = '';
  const routes = [...interactionRoutes(), ...botRoutes({ gatewayUrl: () => gatewayUrl })];
  const server = createServer(createRestHandler(state, routes));
  server.keepAliveTimeout = 60_000;
  const gateway = new Gateway(state, server, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    ...(options.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: options.heartbeatTimeoutMs } : {}),
    allowedPrivilegedIntents:
      options.allowedPrivilegedIntents ?? INTENT.GuildMembers | INTENT.GuildPresences | INTENT.MessageContent,
    url: () => gatewayUrl,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  gatewayUrl = `ws://127.0.0.1:${port}`;
  let closed = false;

  const userFrom = (p: { userIdx?: number; user?: StandInUser }) =>
    p.user ? state.addUser(p.user) : state.userAt(p.userIdx ?? 0);

  const standIn: DiscordStandIn = {
    restUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl,
    applicationId: state.applicationId,
    botUserId: state.botUserId,
    token: state.token,
    guild(idx = 0) {
      const g = state.guildAt(idx);
      const channels = g.channelIds.flatMap((id) => {
        const ch = state.channels.get(id);
        return ch ? [{ id: ch.id, name: ch.name, type: ch.type }] : [];
      });
      return { id: g.id, name: g.name, botRoleId: g.botRoleId, channels };
    },
    addGuild(spec = {}) {
      const guild = state.addGuild(spec);
      gateway.announceGuild(guild);
      return standIn.guild(state.guilds.indexOf(guild));
    },
    joinedGuildIds: () => state.guilds.filter((g) => !g.left).map((g) => g.id),
    user: (idx = 0) => ({ ...state.userAt(idx) }),
    waitForReady: (timeoutMs = 10_000) =>
      state
        .waitFor(() => gateway.ready, timeoutMs, 'a client to IDENTIFY and receive READY + GUILD_CREATE')
        .then(() => undefined),
    identifies: state.identifies,
    get resumes() {
      return state.resumes;
    },
    heartbeats: state.heartbeats,
    get openConnections() {
      return gateway.openConnections;
    },
    closeGateway: (code = 4000) => gateway.closeGateway(code),
    invalidateNextResume: () => gateway.invalidateNextResume(),
    sendCommand: (p) => sendCommand(state, p),
    sendAutocomplete: (p) => sendAutocomplete(state, p),
    clickButton: (p) => clickButton(state, p),
    async sendMessage(p) {
      const user = userFrom(p);
      const channel = state.channels.get(p.channelId);
      if (!channel?.guildId) throw new Error(`stand-in: ${p.channelId} is not a server channel or thread`);
      const guild = state.guildById(channel.guildId);
      if (!guild || !state.isMember(guild, user.id))
        throw new Error(`stand-in: ${user.username} is not a member of the server of ${p.channelId}`);
      const msg = createUserMessage(state, channel, user.id, p.content);
      return { channelId: channel.id, messageId: msg.id };
    },
    threads(parentId) {
      return [...state.channels.values()]
        .filter((c) => c.parentId !== undefined && (parentId === undefined || c.parentId === parentId))
        .map((c) => ({
          id: c.id,
          type: c.type,
          name: c.name,
          guildId: c.guildId as string,
          parentId: c.parentId as string,
          ownerId: c.ownerId as string,
          memberIds: [...(c.threadMemberIds ?? [])],
        }));
    },
    get botMention() {
      return `<@${state.botUserId}>`;
    },
    async sendDirectMessage(p) {
      const user = userFrom(p);
      const channel = state.ensureDmChannel(user.id);
      const msg = createUserMessage(state, channel, user.id, p.content);
      return { channelId: channel.id, messageId: msg.id };
    },
    messages(channelId) {
      return [...state.messages.values()]
        .filter(
          (m) => m.authorId === state.botUserId && (channelId === undefined || m.channelId === channelId),
        )
        .map((m) => recordedMessage(state, m));
    },
    message(messageId) {
      const msg = state.messages.get(messageId);
      return msg ? recordedMessage(state, msg) : undefined;
    },
    dmChannelOf: (userId) => state.dmChannels.get(userId),
    commands: (guildId) =>
      state.commands.filter((c) => c.guildId === guildId).map((c) => structuredClone(c.json)),
    requests: state.requests,
    waitFor: (check, timeoutMs, label) => state.waitFor(check, timeoutMs, label),
    failNext(p) {
      state.faults.push({
        ...(p.method ? { method: p.method } : {}),
        path: p.path,
        status: p.status,
        retryAfterSeconds: p.retryAfterSeconds ?? 1,
        global: p.global ?? false,
        times: p.times ?? 1,
      });
    },
    setChannelMissing(channelId) {
      const ch = state.channels.get(channelId);
      if (!ch) throw new Error(`stand-in: unknown channel ${channelId}`);
      ch.missing = true;
    },
    denyChannel(channelId) {
      const ch = state.channels.get(channelId);
      if (!ch) throw new Error(`stand-in: unknown channel ${channelId}`);
      ch.denied = true;
    },
    blockDirectMessagesFrom(userId) {
      state.dmBlocked.add(userId);
    },
    async close() {
      if (closed) return;
      closed = true;
      await gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return standIn;
}
