/**
 * Public types of the Discord stand-in. Field names follow the Discord API where they mirror it.
 */
import type { APIApplicationCommandInteractionDataOption } from 'discord.js';
import type { Json } from './util.js';

export type CommandOption = APIApplicationCommandInteractionDataOption;

export interface StandInOptions {
  /** Accepted bot token (default 'test-token'). IDENTIFY with another closes 4004; REST answers 401. */
  token?: string;
  /** Application id (default: a fresh snowflake). The bot user id equals it. */
  applicationId?: string;
  /** Bot username (default 'Clipdesk'). */
  botUsername?: string;
  /** heartbeat_interval sent in HELLO (default 41250). */
  heartbeatIntervalMs?: number;
  /**
   * When set, a connection that sends no heartbeat for this long is closed with 4009 (session timed out),
   * like Discord does with zombie connections. Off by default.
   */
  heartbeatTimeoutMs?: number;
  /** Injectable clock in ms (default Date.now). Drives interaction expiry and every recorded `at`. */
  now?: () => number;
  /** Privileged intents the application may use (default all: GUILD_MEMBERS|GUILD_PRESENCES|MESSAGE_CONTENT). */
  allowedPrivilegedIntents?: number;
  /** Default one guild "Clipdesk Test Guild" with one text channel "general". */
  guilds?: GuildSpec[];
  /** People who talk to the bot (default alice and bob). */
  users?: Array<{ id?: string; username: string }>;
  /** Port to listen on (default 0 = any free port), always on 127.0.0.1. */
  port?: number;
}

export interface GuildSpec {
  id?: string;
  name?: string;
  channels?: Array<{ id?: string; name?: string; type?: number }>;
  /** Usernames of its members (default: every user of the stand-in). */
  members?: string[];
}

export interface StandInUser {
  id: string;
  username: string;
}

export interface StandInGuild {
  id: string;
  name: string;
  /** The bot's managed role (what `@Clipdesk` may be written as: `<@&botRoleId>`). */
  botRoleId: string;
  channels: Array<{ id: string; name: string; type: number }>;
}

export interface StandInThread {
  id: string;
  /** 11 public thread (10 in an announcement channel). */
  type: number;
  name: string;
  guildId: string;
  parentId: string;
  ownerId: string;
  /** Users in the thread (the bot, and everyone who wrote in it). */
  memberIds: string[];
}

export interface RecordedAttachment {
  id: string;
  filename: string;
  size: number;
  contentType?: string;
}

export interface RecordedMessage {
  id: string;
  channelId: string;
  guildId?: string;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  ephemeral: boolean;
  /** Exactly what the bot sent as allowed_mentions (undefined if absent) on the last create/edit that set it. */
  allowedMentions: unknown;
  authorId: string;
  /** Message type (0 default, 19 reply, 20 chat input command response). */
  type: number;
  attachments: RecordedAttachment[];
  /** Users that Discord would actually ping, given content and allowed_mentions. */
  mentionedUserIds: string[];
  mentionEveryone: boolean;
  referencedMessageId?: string;
  interactionId?: string;
  /** True while the message is a deferred "is thinking..." placeholder (flag 128). */
  loading: boolean;
  createdAt: number;
  editedAt?: number;
  deleted?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path after the `/api/v10` prefix, without query string, e.g. `/channels/1/messages`. */
  path: string;
  query: string;
  body: unknown;
  status: number;
  /** When the request arrived (injectable clock). */
  at: number;
}

export interface InteractionCallbackRecord {
  type: number;
  data?: Json;
  at: number;
}

export interface RejectedCall {
  route: string;
  status: number;
  code: number;
  message: string;
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** The INTERACTION_CREATE payload as dispatched. */
  payload: Record<string, unknown>;
  callbacks: InteractionCallbackRecord[];
  rejected: RejectedCall[];
  original(): RecordedMessage | undefined;
  followUps(): RecordedMessage[];
  waitForFinalReply(timeoutMs?: number): Promise<RecordedMessage>;
  autocompleteChoices(): Array<{ name: string; value: string | number }> | undefined;
  expire(): void;
}

export interface InteractionTarget {
  userIdx?: number;
  user?: StandInUser;
  /** Guild id; null = in a DM with the bot. Default: the first guild. */
  guildId?: string | null;
  channelId?: string;
  /** Member permissions bitfield string (default: the @everyone permissions, no ManageGuild). */
  memberPermissions?: string;
  /** Role ids of the member (default none). */
  roles?: string[];
  locale?: string;
}

export interface SendCommandParams extends InteractionTarget {
  name: string;
  options?: CommandOption[];
  /**
   * Files attached to the command (options of type 11 name them by id). Sent as `data.resolved.attachments`,
   * as Discord does; `url` is where the bot downloads the file (a test server on 127.0.0.1).
   */
  attachments?: CommandAttachment[];
}

export interface CommandAttachment {
  id: string;
  filename: string;
  url: string;
  size: number;
  contentType?: string;
}

export interface SendAutocompleteParams extends InteractionTarget {
  name: string;
  options: CommandOption[];
}

export interface ClickButtonParams extends Omit<InteractionTarget, 'guildId' | 'channelId'> {
  customId: string;
  message: RecordedMessage;
}

export interface FailSpec {
  method?: string;
  /** Tested against the decoded path after `/api/v10` (see RecordedRequest.path). */
  path: RegExp;
  status: 429 | 500 | 502 | 503;
  retryAfterSeconds?: number;
  global?: boolean;
  times?: number;
}

export interface DiscordStandIn {
  restUrl: string;
  gatewayUrl: string;
  applicationId: string;
  botUserId: string;
  token: string;
  guild(idx?: number): StandInGuild;
  /** Someone adds the bot to a new server: GUILD_CREATE is dispatched to connected sessions. */
  addGuild(spec?: GuildSpec): StandInGuild;
  /** Guild ids the bot is in now (it leaves with DELETE /users/@me/guilds/{id}). */
  joinedGuildIds(): string[];
  user(idx?: number): StandInUser;
  waitForReady(timeoutMs?: number): Promise<void>;
  /** Every IDENTIFY that passed the token check. */
  identifies: Array<{ intents: number; at: number }>;
  /** Successful RESUMEs. */
  readonly resumes: number;
  /** Every op 1 received; sinceLastMs is 0 for the first heartbeat of a connection. */
  heartbeats: Array<{ at: number; sinceLastMs: number }>;
  /** Number of gateway connections currently open. */
  readonly openConnections: number;
  /** Closes open gateway sockets (default 4000: the client resumes; events meanwhile are replayed). */
  closeGateway(code?: number): void;
  /** The next RESUME gets op 9 INVALID_SESSION (d: false), so the client identifies again. */
  invalidateNextResume(): void;
  sendCommand(p: SendCommandParams): InteractionHandle;
  sendAutocomplete(p: SendAutocompleteParams): InteractionHandle;
  clickButton(p: ClickButtonParams): InteractionHandle;
  /**
   * A person writes in a server channel or thread (MESSAGE_CREATE; `<@botId>` in the content mentions the
   * bot). Sessions without the Message Content intent get it without content unless it mentions the bot.
   */
  sendMessage(p: { channelId: string; content: string; userIdx?: number; user?: StandInUser }): Promise<{
    channelId: string;
    messageId: string;
  }>;
  /** Threads that exist (optionally those of one channel). */
  threads(parentId?: string): StandInThread[];
  /** `<@botId>`: how a person mentions the bot. */
  readonly botMention: string;
  sendDirectMessage(p: {
    content: string;
    userIdx?: number;
    user?: StandInUser;
  }): Promise<{ channelId: string; messageId: string }>;
  /** Messages the bot created (incl. interaction replies, follow-ups, ephemeral and deleted ones), as they are now. */
  messages(channelId?: string): RecordedMessage[];
  message(messageId: string): RecordedMessage | undefined;
  dmChannelOf(userId: string): string | undefined;
  /** Application commands as registered (global when guildId is omitted). */
  commands(guildId?: string): Array<Record<string, unknown>>;
  requests: RecordedRequest[];
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs?: number, label?: string): Promise<T>;
  failNext(p: FailSpec): void;
  setChannelMissing(channelId: string): void;
  denyChannel(channelId: string): void;
  blockDirectMessagesFrom(userId: string): void;
  close(): Promise<void>;
}
