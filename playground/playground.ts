/**
 * `npm run playground`: the real bot, started exactly as `npm start` starts it (`src/index.ts` in its own
 * process, the same commands and formatting), connected to the local Discord stand-in instead of Discord,
 * and a small web page on 127.0.0.1 that shows the stand-in's server channel, thread and direct messages.
 * The page talks to this server only; this server plays the people (an admin and a plain member) towards
 * the stand-in: slash commands, autocomplete, button clicks and DMs, as Discord would send them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { offlineIndexDir, SHIPPED_OFFLINE_MODEL } from '../src/embedding/model-source.js';
import { EVERYONE_PERMISSIONS, PERM } from './discord-standin/constants.js';
import { type DiscordStandIn, startDiscordStandIn } from './discord-standin/index.js';
import type { CommandOption, RecordedMessage, StandInUser } from './discord-standin/types.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAGE = path.join(PROJECT_ROOT, 'playground', 'page.html');

export interface PlaygroundOptions {
  /** The settings the bot starts with (process.env and .env); Discord's are replaced by the stand-in's. */
  env: Record<string, string | undefined>;
  /** Port of the web page (0 = any free port). Always 127.0.0.1. */
  port?: number;
  /** Where the bot's answers, feedback and digests are kept (default .clipdesk/playground). */
  dataDir?: string;
  /** The bot's log lines (stdout and stderr of its process). */
  onBotOutput?: (chunk: string) => void;
  /** How long the bot may take to load the model, build the index and connect. */
  startTimeoutMs?: number;
}

export interface Playground {
  url: string;
  standIn: DiscordStandIn;
  /** The settings the bot was started with (model, index, corpus). */
  botEnv: Record<string, string>;
  /** Why the bot stopped, if it did. */
  readonly botExit: string | null;
  stop(): Promise<void>;
}

interface Person {
  user: StandInUser;
  label: string;
  admin: boolean;
}

/** Something a person typed, shown beside the bot's messages. */
interface Said {
  id: string;
  channelId: string;
  userId: string;
  text: string;
  at: number;
}

const ADMIN_PERMISSIONS = (EVERYONE_PERMISSIONS | PERM.ManageGuild | PERM.Administrator).toString();

/** The bot's settings: the person's own archive and model when they set them, else the shipped offline model. */
export function botSettings(
  env: Record<string, string | undefined>,
  standIn: Pick<DiscordStandIn, 'token' | 'applicationId' | 'restUrl'>,
  guildId: string,
  dataDir: string,
): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) base[name] = value;
  const chosen = Boolean(env.EMBEDDING_MODEL?.trim());
  const indexDir = path.resolve(PROJECT_ROOT, env.INDEX_DIR?.trim() || '.clipdesk/index');
  return {
    ...base,
    DISCORD_TOKEN: standIn.token,
    DISCORD_CLIENT_ID: standIn.applicationId,
    DISCORD_API_URL: standIn.restUrl,
    DISCORD_GUILD_ID: '',
    DISCORD_ALLOWED_GUILDS: guildId,
    // Offline by default: the shipped model, with its own index (the one the CLI uses offline).
    EMBEDDING_MODEL: chosen ? (env.EMBEDDING_MODEL as string) : SHIPPED_OFFLINE_MODEL,
    INDEX_DIR: chosen ? indexDir : offlineIndexDir(indexDir),
    DATA_DIR: dataDir,
    LOG_LEVEL: env.LOG_LEVEL?.trim() || 'warn',
  };
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const standIn = await startDiscordStandIn({
    heartbeatIntervalMs: 15_000,
    botUsername: 'Clipdesk',
    users: [{ username: 'editor' }, { username: 'reporter' }],
    guilds: [
      {
        name: 'Newsroom',
        channels: [{ name: 'general' }, { name: 'desk' }, { name: 'budget-questions', type: 11 }],
      },
    ],
  });
  const guild = standIn.guild(0);
  const people: Person[] = [
    { user: standIn.user(0), label: 'Editor (admin: Manage Server)', admin: true },
    { user: standIn.user(1), label: 'Reporter (member)', admin: false },
  ];
  const said: Said[] = [];
  const askedBy = new Map<string, string>(); // interaction id -> user id, for ephemeral replies
  let saidIds = 0;

  const dataDir = path.resolve(PROJECT_ROOT, options.dataDir ?? '.clipdesk/playground');
  const botEnv = botSettings(options.env, standIn, guild.id, dataDir);

  // The commands, registered as `npm run deploy-commands` does (globally: they work in DMs too).
  const { deployCommands } = await import('../src/discord/deploy.js');
  const { commands } = await import('../commands/index.js');
  await deployCommands(
    {
      discordToken: standIn.token,
      discordClientId: standIn.applicationId,
      discordGuildId: null,
      discordApiUrl: standIn.restUrl,
    },
    commands,
  );

  let botExit: string | null = null;
  const bot: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: PROJECT_ROOT,
    env: botEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = options.onBotOutput ?? ((chunk: string) => process.stderr.write(chunk));
  let recent = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    recent = (recent + text).slice(-4000);
    output(text);
  };
  bot.stdout?.on('data', keep);
  bot.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    bot.once('exit', (code, signal) => {
      botExit = `the bot stopped (${signal ?? `exit ${code}`})`;
      resolve();
    }),
  );
  try {
    await Promise.race([
      standIn.waitForReady(options.startTimeoutMs ?? 180_000),
      exited.then(() => Promise.reject(new Error(`${botExit} before connecting:\n${recent}`))),
    ]);
  } catch (error) {
    if (bot.exitCode === null) bot.kill('SIGTERM');
    await standIn.close();
    throw error;
  }

  const person = (id: unknown): Person => {
    const found = people.find((p) => p.user.id === id);
    if (!found) throw new HttpError(400, `no such person: ${String(id)}`);
    return found;
  };
  /** 'dm' is the person's DM channel with the bot; anything else a channel of the server. */
  const where = (channel: unknown, who: Person) => {
    if (channel === 'dm') return { guildId: null, channelId: standIn.dmChannelOf(who.user.id) };
    const found = guild.channels.find((c) => c.id === channel);
    if (!found) throw new HttpError(400, `no such channel: ${String(channel)}`);
    return { guildId: guild.id, channelId: found.id };
  };
  const target = (who: Person, place: { guildId: string | null; channelId?: string | undefined }) => ({
    user: who.user,
    guildId: place.guildId,
    ...(place.channelId ? { channelId: place.channelId } : {}),
    ...(place.guildId
      ? { memberPermissions: who.admin ? ADMIN_PERMISSIONS : EVERYONE_PERMISSIONS.toString() }
      : {}),
  });
  const remember = (channelId: string, who: Person, text: string) => {
    said.push({ id: `said-${++saidIds}`, channelId, userId: who.user.id, text, at: Date.now() });
  };

  const api: Record<string, (body: Record<string, unknown>, url: URL) => Promise<unknown>> = {
    'GET /api/world': async () => ({
      bot: { id: standIn.botUserId, name: 'Clipdesk' },
      people: people.map((p) => ({ id: p.user.id, name: p.user.username, label: p.label, admin: p.admin })),
      guild,
      commands: standIn.commands(),
      model: botEnv.EMBEDDING_MODEL,
      corpus: botEnv.CORPUS_DIR ?? 'corpus',
      botExit,
    }),
    'GET /api/messages': async (_body, url) => {
      const who = person(url.searchParams.get('user'));
      const { channelId } = where(url.searchParams.get('channel'), who);
      if (!channelId) return { messages: [] };
      const fromBot = standIn
        .messages(channelId)
        .filter((m) => !m.deleted && (!m.ephemeral || askedBy.get(m.interactionId ?? '') === who.user.id))
        .map((m) => ({ kind: 'bot', ...m, at: m.createdAt }));
      const fromPeople = said
        .filter((s) => s.channelId === channelId)
        .map((s) => ({
          kind: 'person',
          ...s,
          name: person(s.userId).user.username,
        }));
      const messages = [...fromBot, ...fromPeople].sort((a, b) => a.at - b.at);
      return { messages, botExit };
    },
    'POST /api/command': async (body) => {
      const who = person(body.user);
      const place = where(body.channel, who);
      const name = String(body.name ?? '');
      const options = (Array.isArray(body.options) ? body.options : []) as CommandOption[];
      const handle = standIn.sendCommand({ ...target(who, place), name, options });
      const channelId = place.channelId ?? standIn.dmChannelOf(who.user.id) ?? '';
      remember(channelId, who, `/${name}${describeOptions(options)}`);
      askedBy.set(handle.id, who.user.id);
      return { interaction: handle.id };
    },
    'POST /api/autocomplete': async (body) => {
      const who = person(body.user);
      const place = where(body.channel, who);
      const handle = standIn.sendAutocomplete({
        ...target(who, place),
        name: String(body.name ?? ''),
        options: (Array.isArray(body.options) ? body.options : []) as CommandOption[],
      });
      const choices = await standIn.waitFor(() => handle.autocompleteChoices(), 5000, 'autocomplete choices');
      return { choices };
    },
    'POST /api/click': async (body) => {
      const who = person(body.user);
      const message = standIn.message(String(body.message ?? ''));
      if (!message) throw new HttpError(404, 'no such message');
      const handle = standIn.clickButton({
        user: who.user,
        customId: String(body.customId ?? ''),
        message,
        ...(message.guildId
          ? { memberPermissions: who.admin ? ADMIN_PERMISSIONS : EVERYONE_PERMISSIONS.toString() }
          : {}),
      });
      askedBy.set(handle.id, who.user.id);
      return { interaction: handle.id };
    },
    'POST /api/dm': async (body) => {
      const who = person(body.user);
      const content = String(body.content ?? '').trim();
      if (!content) throw new HttpError(400, 'empty message');
      const sent = await standIn.sendDirectMessage({ user: who.user, content });
      remember(sent.channelId, who, content);
      return sent;
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(await readFile(PAGE));
      return;
    }
    const route = api[`${req.method} ${url.pathname}`];
    if (!route) throw new HttpError(404, 'not found');
    // Only the page itself may post: a page elsewhere cannot drive the playground from the person's browser.
    if (req.method === 'POST' && req.headers['content-type'] !== 'application/json')
      throw new HttpError(415, 'application/json only');
    const body = req.method === 'POST' ? await readJson(req) : {};
    send(res, 200, await route(body, url));
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    standIn,
    botEnv,
    get botExit() {
      return botExit;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (bot.exitCode === null && bot.signalCode === null) bot.kill('SIGTERM');
      await exited;
      await standIn.close();
    },
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 100_000) throw new HttpError(413, 'too large');
  }
  const parsed = JSON.parse(text || '{}') as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpError(400, 'a JSON object');
  return parsed as Record<string, unknown>;
}

/** ` question: why · count: 3`, as Discord shows a command someone used. */
function describeOptions(options: readonly CommandOption[]): string {
  return options
    .map((o) => {
      if ('options' in o && Array.isArray(o.options))
        return ` ${o.name}${describeOptions(o.options as CommandOption[])}`;
      return ` ${o.name}: ${'value' in o ? String(o.value) : ''}`;
    })
    .join('');
}

export type { RecordedMessage };
