/**
 * Gateway (API v10, JSON): HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, sequence numbers,
 * per-session replay buffer for RESUME, INVALID_SESSION, intents filtering and Discord's close codes.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { INTENT } from './constants.js';
import { memberChunks, readyPayload, resumedPayload } from './gateway-payloads.js';
import { guildCreatePayload } from './payloads.js';
import type { GuildRecord, StandInState } from './state.js';
import { type Connection as Conn, openConnection } from './transport.js';
import type { Json } from './util.js';

const PRIVILEGED = INTENT.GuildMembers | INTENT.GuildPresences | INTENT.MessageContent;
const ALL_INTENTS = (1 << 26) - 1;
const BUFFER_LIMIT = 2000;

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs?: number;
  allowedPrivilegedIntents: number;
  url: () => string;
}

type Connection = Conn<Session>;

interface Session {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  buffer: Array<{ s: number; t: string; d: unknown }>;
  conn?: Connection;
  /** False once it can no longer be resumed (closed 1000/1001, invalidated, replaced). */
  resumable: boolean;
  ready: boolean;
}

export class Gateway {
  readonly #wss: WebSocketServer;
  readonly #sessions: Session[] = [];
  readonly #conns = new Set<Connection>();
  #invalidateNext = false;

  constructor(
    private readonly state: StandInState,
    server: Server,
    private readonly opts: GatewayOptions,
  ) {
    this.#wss = new WebSocketServer({ server });
    this.#wss.on('connection', (ws, req) => this.#onConnection(ws, req));
    state.dispatcher = (t, d, o) => this.dispatch(t, d, o);
  }

  get openConnections(): number {
    return this.#conns.size;
  }

  /** True when a connected session got READY and its GUILD_CREATEs. */
  get ready(): boolean {
    return this.#sessions.some((s) => s.ready && s.conn !== undefined);
  }

  dispatch(t: string, d: unknown, o: { intent?: number; guildId?: string; withoutContent?: unknown }): void {
    for (const session of this.#sessions) {
      if (!session.resumable) continue;
      if (o.intent !== undefined && (session.intents & o.intent) === 0) continue;
      const [shardId, shardCount] = session.shard;
      const owner = o.guildId === undefined ? 0 : Number((BigInt(o.guildId) >> 22n) % BigInt(shardCount));
      if (owner !== shardId) continue;
      const contentless = o.withoutContent !== undefined && (session.intents & INTENT.MessageContent) === 0;
      this.#dispatchTo(session, t, contentless ? o.withoutContent : d);
    }
    this.state.notify();
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.buffer.push({ s, t, d });
    if (session.buffer.length > BUFFER_LIMIT) session.buffer.shift();
    session.conn?.send({ op: 0, t, s, d });
  }

  /** The bot was added to a server: GUILD_CREATE (shaped by each session's intents) to the shard that owns it. */
  announceGuild(guild: GuildRecord): void {
    for (const session of this.#sessions) {
      if (!session.resumable || (session.intents & INTENT.Guilds) === 0) continue;
      const [shardId, shardCount] = session.shard;
      if (Number((BigInt(guild.id) >> 22n) % BigInt(shardCount)) !== shardId) continue;
      this.#dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(this.state, guild, session.intents));
    }
    this.state.notify();
  }

  closeGateway(code = 4000): void {
    for (const conn of this.#conns) conn.close(code, 'Closed by the stand-in');
  }

  invalidateNextResume(): void {
    this.#invalidateNext = true;
  }

  async close(): Promise<void> {
    for (const conn of this.#conns) conn.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #onConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const v = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding') ?? 'json';
    const compress = url.searchParams.get('compress');
    const conn = openConnection<Session>(ws, compress === 'zlib-stream');
    this.#conns.add(conn);
    ws.on('close', (code) => this.#onClose(conn, code));
    ws.on('error', () => {});
    if (v !== null && v !== '10' && v !== '9') {
      conn.close(4012, 'Invalid API version');
      return;
    }
    if (encoding !== 'json') {
      conn.close(4002, `Encoding ${encoding} is not supported here`);
      return;
    }
    if (compress !== null && compress !== 'zlib-stream') {
      conn.close(4002, 'Invalid compression');
      return;
    }
    conn.send({ op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs }, s: null, t: null });
    this.#armHeartbeatTimeout(conn);
    ws.on('message', (raw: Buffer, isBinary: boolean) => this.#onMessage(conn, raw, isBinary));
    this.state.notify();
  }

  #armHeartbeatTimeout(conn: Connection): void {
    if (!this.opts.heartbeatTimeoutMs) return;
    clearTimeout(conn.heartbeatTimer);
    conn.heartbeatTimer = setTimeout(
      () => conn.close(4009, 'Session timed out'),
      this.opts.heartbeatTimeoutMs,
    );
    conn.heartbeatTimer.unref();
  }

  #onClose(conn: Connection, code: number): void {
    clearTimeout(conn.heartbeatTimer);
    this.#conns.delete(conn);
    const session = conn.session;
    if (session && session.conn === conn) {
      session.conn = undefined;
      // Discord invalidates a session the client closed normally; other closes can be resumed.
      if (code === 1000 || code === 1001) session.resumable = false;
    }
    this.state.notify();
  }

  #onMessage(conn: Connection, raw: Buffer, isBinary: boolean): void {
    let payload: { op?: unknown; d?: Json };
    try {
      if (isBinary) throw new Error('binary frames are ETF, not supported');
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      conn.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case 1:
        this.#onHeartbeat(conn);
        break;
      case 2:
        this.#onIdentify(conn, payload.d);
        break;
      case 6:
        this.#onResume(conn, payload.d);
        break;
      case 3:
      case 4:
        if (!conn.session) conn.close(4003, 'Not authenticated.');
        break;
      case 8:
        this.#onRequestMembers(conn, payload.d);
        break;
      default:
        conn.close(4001, 'Unknown opcode.');
    }
    this.state.notify();
  }

  #onHeartbeat(conn: Connection): void {
    const at = this.state.now();
    this.state.heartbeats.push({
      at,
      sinceLastMs: conn.lastHeartbeatAt === undefined ? 0 : at - conn.lastHeartbeatAt,
    });
    conn.lastHeartbeatAt = at;
    this.#armHeartbeatTimeout(conn);
    conn.send({ op: 11, d: null, s: null, t: null });
  }

  #checkToken(conn: Connection, token: unknown): boolean {
    const given = typeof token === 'string' ? token.replace(/^Bot\s+/i, '') : '';
    if (given === this.state.token) return true;
    conn.close(4004, 'Authentication failed.');
    return false;
  }

  #onIdentify(conn: Connection, d: Json): void {
    if (conn.session) {
      conn.close(4005, 'Already authenticated.');
      return;
    }
    if (!this.#checkToken(conn, d?.token)) return;
    const intents = d?.intents;
    if (!Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      conn.close(4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED & ~this.opts.allowedPrivilegedIntents) !== 0) {
      conn.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard: [number, number] = Array.isArray(d?.shard)
      ? [Number(d.shard[0]), Number(d.shard[1])]
      : [0, 1];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
      conn.close(4010, 'Invalid shard.');
      return;
    }
    if (d?.compress === true) conn.payloadCompression = true;
    // Sessions of this shard that are not connected are superseded by the new one.
    for (const s of this.#sessions) if (!s.conn && s.shard[0] === shard[0]) s.resumable = false;
    this.#prune();
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents,
      shard,
      seq: 0,
      buffer: [],
      conn,
      resumable: true,
      ready: false,
    };
    conn.session = session;
    this.#sessions.push(session);
    this.state.identifies.push({ intents, at: this.state.now() });
    const guilds = this.state.guilds.filter(
      (g) => !g.left && Number((BigInt(g.id) >> 22n) % BigInt(shard[1])) === shard[0],
    );
    this.#dispatchTo(
      session,
      'READY',
      readyPayload(this.state, { sessionId: session.id, shard, guilds, resumeUrl: this.opts.url() }),
    );
    if (intents & INTENT.Guilds) {
      for (const g of guilds)
        this.#dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(this.state, g, intents));
    }
    session.ready = true;
  }

  #onResume(conn: Connection, d: Json): void {
    if (conn.session) {
      conn.close(4005, 'Already authenticated.');
      return;
    }
    if (!this.#checkToken(conn, d?.token)) return;
    const session = this.#sessions.find((s) => s.id === d?.session_id && s.resumable);
    if (!session || this.#invalidateNext) {
      this.#invalidateNext = false;
      if (session) session.resumable = false;
      this.#prune();
      conn.send({ op: 9, d: false, s: null, t: null });
      return;
    }
    const seq = Number(d?.seq ?? 0);
    if (!Number.isInteger(seq) || seq > session.seq) {
      conn.close(4007, 'Invalid seq.');
      return;
    }
    if (session.conn && session.conn !== conn) session.conn.close(4000, 'Session resumed elsewhere');
    session.conn = conn;
    conn.session = session;
    for (const e of session.buffer) if (e.s > seq) conn.send({ op: 0, t: e.t, s: e.s, d: e.d });
    const s = ++session.seq;
    conn.send({ op: 0, t: 'RESUMED', s, d: resumedPayload() });
    this.state.resumes++;
    session.ready = true;
  }

  #onRequestMembers(conn: Connection, d: Json): void {
    const session = conn.session;
    if (!session) {
      conn.close(4003, 'Not authenticated.');
      return;
    }
    for (const chunk of memberChunks(this.state, d)) this.#dispatchTo(session, 'GUILD_MEMBERS_CHUNK', chunk);
  }

  #prune(): void {
    for (let i = this.#sessions.length - 1; i >= 0; i--) {
      if (!this.#sessions[i]?.resumable) this.#sessions.splice(i, 1);
    }
  }
}
