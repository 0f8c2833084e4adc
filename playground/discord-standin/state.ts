/** In-memory world of the stand-in: users, guilds, channels, messages, interactions, commands, waiters. */
import type {
  GuildSpec,
  InteractionCallbackRecord,
  RecordedRequest,
  RejectedCall,
  StandInOptions,
  StandInUser,
} from './types.js';
import { type Json, Snowflakes } from './util.js';

export interface ChannelRecord {
  id: string;
  type: number;
  name: string;
  guildId?: string;
  position: number;
  /** DM channels: the other person. */
  recipientId?: string;
  lastMessageId: string | null;
  missing: boolean;
  denied: boolean;
  /** Threads (type 11 public, 12 private): the channel they are in, who started them, their members. */
  parentId?: string;
  ownerId?: string;
  autoArchiveDuration?: number;
  createdAt?: number;
  threadMemberIds?: Set<string>;
}

export interface GuildRecord {
  id: string;
  name: string;
  channelIds: string[];
  botRoleId: string;
  ownerId: string;
  joinedAt: number;
  /** Users in the server besides the bot (null: every user the stand-in knows). */
  memberIds: Set<string> | null;
  /** The bot left (or was removed): no GUILD_CREATE at IDENTIFY, 10004 on its routes. */
  left: boolean;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  content_type?: string;
  description?: string;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId?: string;
  authorId: string;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  allowedMentions: unknown;
  attachments: StoredAttachment[];
  type: number;
  tts: boolean;
  createdAt: number;
  editedAt?: number;
  deleted: boolean;
  referencedMessageId?: string;
  interactionId?: string;
  webhookId?: string;
  poll?: unknown;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  commandName?: string;
  payload: Record<string, Json>;
  dispatchedAt: number;
  expired: boolean;
  acknowledged: boolean;
  ackType?: number;
  /** The @original message: the reply (4/5) or the component's message (6/7). */
  originalMessageId?: string;
  followUpIds: string[];
  /** Set once a visible, non-deferred reply exists (see InteractionHandle.waitForFinalReply). */
  finalReply: boolean;
  callbacks: InteractionCallbackRecord[];
  rejected: RejectedCall[];
  choices?: Array<{ name: string; value: string | number }>;
  sourceMessageId?: string;
}

export interface CommandRecord {
  id: string;
  guildId?: string;
  name: string;
  type: number;
  json: Record<string, Json>;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  retryAfterSeconds: number;
  global: boolean;
  times: number;
}

interface Waiter {
  check: () => boolean;
}

export interface DispatchOptions {
  intent?: number;
  guildId?: string;
  /** What a session without the Message Content intent gets instead (a message not for the bot). */
  withoutContent?: unknown;
}

export type Dispatcher = (event: string, data: unknown, opts: DispatchOptions) => void;

export class StandInState {
  readonly now: () => number;
  readonly ids: Snowflakes;
  readonly token: string;
  readonly applicationId: string;
  readonly botUsername: string;
  readonly users = new Map<string, StandInUser & { bot?: boolean }>();
  readonly userOrder: string[] = [];
  readonly guilds: GuildRecord[] = [];
  readonly channels = new Map<string, ChannelRecord>();
  readonly dmChannels = new Map<string, string>();
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly commands: CommandRecord[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  readonly dmBlocked = new Set<string>();
  readonly identifies: Array<{ intents: number; at: number }> = [];
  readonly heartbeats: Array<{ at: number; sinceLastMs: number }> = [];
  resumes = 0;
  readonly #waiters = new Set<Waiter>();
  dispatcher: Dispatcher = () => {};

  constructor(options: StandInOptions) {
    this.now = options.now ?? Date.now;
    this.ids = new Snowflakes(this.now);
    this.token = options.token ?? 'test-token';
    this.applicationId = options.applicationId ?? this.ids.next();
    this.botUsername = options.botUsername ?? 'Clipdesk';
    this.users.set(this.applicationId, { id: this.applicationId, username: this.botUsername, bot: true });
    const ownerId = this.ids.next();
    this.users.set(ownerId, { id: ownerId, username: 'guild-owner' });
    for (const u of options.users ?? [{ username: 'alice' }, { username: 'bob' }]) this.addUser(u);
    this.#ownerId = ownerId;
    for (const g of options.guilds ?? [{}]) this.addGuild(g);
  }

  readonly #ownerId: string;

  /** A server with the bot in it (at start, or when someone adds the bot later). */
  addGuild(g: GuildSpec): GuildRecord {
    const gi = this.guilds.length;
    const id = g.id ?? this.ids.next();
    const guild: GuildRecord = {
      id,
      name: g.name ?? (gi === 0 ? 'Clipdesk Test Guild' : `Test Guild ${gi + 1}`),
      channelIds: [],
      botRoleId: this.ids.next(),
      ownerId: this.#ownerId,
      joinedAt: this.now(),
      memberIds: g.members ? new Set(g.members.map((name) => this.userIdByName(name))) : null,
      left: false,
    };
    for (const [ci, c] of (g.channels ?? [{ name: 'general' }]).entries()) {
      const channel: ChannelRecord = {
        id: c.id ?? this.ids.next(),
        type: c.type ?? 0,
        name: c.name ?? `channel-${ci + 1}`,
        guildId: id,
        position: ci,
        lastMessageId: null,
        missing: false,
        denied: false,
      };
      // A thread (type 11/12) is in the server's first text channel.
      if (channel.type === 11 || channel.type === 12) channel.parentId = guild.channelIds[0];
      this.channels.set(channel.id, channel);
      guild.channelIds.push(channel.id);
    }
    this.guilds.push(guild);
    return guild;
  }

  userIdByName(username: string): string {
    const id = this.userOrder.find((u) => this.users.get(u)?.username === username);
    if (!id) throw new Error(`stand-in: no user named ${username}`);
    return id;
  }

  /** Whether a (non-bot) user is a member of the guild. */
  isMember(guild: GuildRecord, userId: string): boolean {
    if (!this.users.has(userId)) return false;
    return userId === this.botUserId ? !guild.left : (guild.memberIds?.has(userId) ?? true);
  }

  get botUserId(): string {
    return this.applicationId;
  }

  addUser(u: { id?: string; username: string }): StandInUser {
    const existing = u.id ? this.users.get(u.id) : undefined;
    if (existing) return existing;
    const user = { id: u.id ?? this.ids.next(), username: u.username };
    this.users.set(user.id, user);
    this.userOrder.push(user.id);
    return user;
  }

  userAt(idx = 0): StandInUser {
    const id = this.userOrder[idx];
    const user = id === undefined ? undefined : this.users.get(id);
    if (!user) throw new Error(`stand-in: no user at index ${idx} (there are ${this.userOrder.length})`);
    return user;
  }

  guildAt(idx = 0): GuildRecord {
    const guild = this.guilds[idx];
    if (!guild) throw new Error(`stand-in: no guild at index ${idx}`);
    return guild;
  }

  /** The guild, when the bot is (still) in it. */
  joinedGuild(id: string): GuildRecord | undefined {
    const guild = this.guildById(id);
    return guild && !guild.left ? guild : undefined;
  }

  guildById(id: string): GuildRecord | undefined {
    return this.guilds.find((g) => g.id === id);
  }

  /** The DM channel between the bot and a user, created on first use (POST /users/@me/channels). */
  ensureDmChannel(userId: string): ChannelRecord {
    const existing = this.dmChannels.get(userId);
    if (existing) {
      const ch = this.channels.get(existing);
      if (ch) return ch;
    }
    const channel: ChannelRecord = {
      id: this.ids.next(),
      type: 1,
      name: '',
      position: 0,
      recipientId: userId,
      lastMessageId: null,
      missing: false,
      denied: false,
    };
    this.channels.set(channel.id, channel);
    this.dmChannels.set(userId, channel.id);
    return channel;
  }

  readonly #commandIds = new Map<string, string>();

  /** A stable id for a command that was never registered (Discord would not send it; tests may). */
  unregisteredCommandId(name: string): string {
    let id = this.#commandIds.get(name);
    if (!id) {
      id = this.ids.next();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  /** Re-run every waiter's check; called on every REST request and gateway event. */
  notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5000, label?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        check: () => {
          let value: T | undefined | false | null;
          try {
            value = check();
          } catch (error) {
            this.#waiters.delete(waiter);
            clearTimeout(timer);
            reject(error);
            return true;
          }
          if (!value) return false;
          this.#waiters.delete(waiter);
          clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      if (waiter.check()) return;
      this.#waiters.add(waiter);
      timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const what = label ?? check.toString().replace(/\s+/g, ' ').slice(0, 160);
        reject(new Error(`discord stand-in: waitFor timed out after ${timeoutMs} ms waiting for: ${what}`));
      }, timeoutMs);
    });
  }

  rejectAllWaiters(): void {
    this.#waiters.clear();
  }
}
