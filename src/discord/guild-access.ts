import { type Client, DiscordAPIError, type Guild, Routes } from 'discord.js';
import type { Logger } from '../logger.js';
import { ExpiringCache } from '../util/expiring-cache.js';

/** How long a membership answer is trusted: someone who joins waits at most the negative one. */
const MEMBER_TTL_MS = 10 * 60_000;
const STRANGER_TTL_MS = 2 * 60_000;
/** People remembered at once (a flood of strangers cannot grow memory without end). */
const MAX_REMEMBERED = 10_000;
/** A membership check that takes longer is given up, so an interaction can still be answered in 3 s. */
const CHECK_TIMEOUT_MS = 2_000;

/** Discord's answers meaning "not a member of that server" (unknown member, unknown user). */
const NOT_A_MEMBER = new Set([10007, 10013]);
/** The bot cannot look in that server (it is not in it, or lost access). */
const NO_SUCH_SERVER = new Set([10004, 50001]);

export type Membership = 'member' | 'stranger' | 'unknown';

/**
 * DISCORD_ALLOWED_GUILDS: which servers may use the bot, and whether a person writing in a DM belongs to
 * one of them (GET /guilds/{id}/members/{user}, remembered for a while, both answers). With no list set,
 * everyone is allowed.
 */
export class GuildAccess {
  private readonly allowed: ReadonlySet<string> | null;
  private readonly memberships = new ExpiringCache<string, boolean>(MAX_REMEMBERED);
  private readonly checking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly client: Client,
    allowed: readonly string[] | null,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    this.allowed = allowed ? new Set(allowed) : null;
  }

  get restricted(): boolean {
    return this.allowed !== null;
  }

  allowsGuild(guildId: string): boolean {
    return this.allowed === null || this.allowed.has(guildId);
  }

  /** Whether the person is a member of an allowed server ('unknown' when Discord could not tell in time). */
  async membership(userId: string): Promise<Membership> {
    if (this.allowed === null) return 'member';
    const known = this.memberships.get(userId, this.now());
    if (known !== undefined) return known ? 'member' : 'stranger';
    let check = this.checking.get(userId);
    if (!check) {
      check = this.lookUp(userId).finally(() => this.checking.delete(userId));
      this.checking.set(userId, check);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'unknown'>((resolve) => {
      timer = setTimeout(() => resolve('unknown'), CHECK_TIMEOUT_MS);
    });
    try {
      const answer = await Promise.race([
        check.then((m): Membership => (m ? 'member' : 'stranger')),
        timeout,
      ]);
      if (answer === 'unknown') this.log.warn({ userId }, 'membership check took too long');
      return answer;
    } catch (error) {
      this.log.warn({ err: error, userId }, 'membership check failed');
      return 'unknown';
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks Discord, server by server; remembers the answer unless Discord could not give one. */
  private async lookUp(userId: string): Promise<boolean> {
    let member = false;
    for (const guildId of this.allowed ?? []) {
      try {
        await this.client.rest.get(Routes.guildMember(guildId, userId));
        member = true;
        break;
      } catch (error) {
        if (!(error instanceof DiscordAPIError)) throw error;
        const code = Number(error.code);
        if (NO_SUCH_SERVER.has(code)) {
          this.log.warn({ guildId }, 'an allowed server cannot be checked: is the bot in it?');
        } else if (!NOT_A_MEMBER.has(code)) {
          throw error;
        }
      }
    }
    this.memberships.set(userId, member, member ? MEMBER_TTL_MS : STRANGER_TTL_MS, this.now());
    return member;
  }
}

/**
 * With DISCORD_ALLOWED_GUILDS set, the bot leaves every other server: those it is in when it connects,
 * and any it is added to later. Each departure is logged with the server's id and name.
 */
export function leaveOtherGuilds(client: Client, access: GuildAccess, log: Logger): void {
  if (!access.restricted) return;
  const check = (guild: Guild) => {
    if (access.allowsGuild(guild.id)) return;
    log.warn({ guildId: guild.id, guildName: guild.name }, 'leaving a server not in DISCORD_ALLOWED_GUILDS');
    guild.leave().then(
      () =>
        log.warn({ guildId: guild.id, guildName: guild.name }, 'left a server not in DISCORD_ALLOWED_GUILDS'),
      (error: unknown) => log.error({ err: error, guildId: guild.id }, 'could not leave a server'),
    );
  };
  client.on('clientReady', (c) => {
    for (const guild of c.guilds.cache.values()) check(guild);
    if (!c.guilds.cache.some((g) => access.allowsGuild(g.id)))
      log.warn('the bot is in none of DISCORD_ALLOWED_GUILDS: invite it there');
  });
  client.on('guildCreate', check);
  // A server that was unavailable at start arrives later as "available".
  client.on('guildAvailable', check);
}
