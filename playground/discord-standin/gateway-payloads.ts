/** Gateway-only payloads: READY and GUILD_MEMBERS_CHUNK. */
import { memberPayload, userPayload } from './payloads.js';
import type { GuildRecord, StandInState } from './state.js';
import type { Json } from './util.js';

const TRACE = ['["discord-stand-in",{"micros":0}]'];

export function readyPayload(
  state: StandInState,
  p: { sessionId: string; shard: [number, number]; guilds: GuildRecord[]; resumeUrl: string },
) {
  return {
    v: 10,
    user_settings: {},
    user: { ...userPayload(state, state.botUserId), verified: true, mfa_enabled: false, email: null },
    guilds: p.guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: p.sessionId,
    session_type: 'normal',
    resume_gateway_url: p.resumeUrl,
    shard: p.shard,
    application: { id: state.applicationId, flags: (1 << 19) | (1 << 23) },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['local'],
    auth: {},
    _trace: TRACE,
  };
}

export const resumedPayload = () => ({ _trace: TRACE });

/** Answers op 8 REQUEST_GUILD_MEMBERS: one chunk per requested guild (by user_ids or username prefix). */
export function memberChunks(state: StandInState, d: Json): Array<Record<string, unknown>> {
  const guildIds: unknown[] = Array.isArray(d?.guild_id) ? d.guild_id : [d?.guild_id];
  const wanted: string[] | undefined = Array.isArray(d?.user_ids) ? d.user_ids.map(String) : undefined;
  const query = typeof d?.query === 'string' ? d.query.toLowerCase() : '';
  const limit = typeof d?.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
  const chunks: Array<Record<string, unknown>> = [];
  for (const guildId of guildIds) {
    const guild = state.joinedGuild(String(guildId));
    if (!guild) continue;
    const ids = [state.botUserId, ...state.userOrder]
      .filter((id) => state.isMember(guild, id))
      .filter((id) =>
        wanted ? wanted.includes(id) : (state.users.get(id)?.username ?? '').toLowerCase().startsWith(query),
      )
      .slice(0, limit);
    chunks.push({
      guild_id: guild.id,
      members: ids.map((id) => memberPayload(state, guild, id)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: wanted ? wanted.filter((id) => !ids.includes(id)) : [],
      ...(d?.nonce !== undefined ? { nonce: d.nonce } : {}),
    });
  }
  return chunks;
}
