/**
 * Tests of the Discord stand-in, driven by the real discord.js Client (a tiny inline bot per test).
 * Everything runs on 127.0.0.1; every test closes its client and server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  type ClientOptions,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Partials,
  Routes,
} from 'discord.js';
import WebSocket from 'ws';
import {
  type DiscordStandIn,
  type StandInOptions,
  startDiscordStandIn,
} from '../playground/discord-standin/index.js';

interface Bot {
  standIn: DiscordStandIn;
  client: Client;
  /** Errors the inline bot caught from discord.js calls, in order. */
  caught: unknown[];
  /** Resolves once the bot has caught `n` errors (client-side state, so not a stand-in waitFor). */
  waitCaught(n: number, timeoutMs?: number): Promise<unknown[]>;
}

interface BootOptions {
  standIn?: StandInOptions;
  client?: Partial<ClientOptions>;
  onInteraction?: (i: Interaction, bot: Bot) => Promise<void>;
  onMessage?: (m: Message, bot: Bot) => Promise<void>;
}

/** Starts a stand-in and a logged-in discord.js client; registers cleanup on the test. */
async function boot(t: { after: (fn: () => Promise<void>) => void }, opts: BootOptions = {}): Promise<Bot> {
  const standIn = await startDiscordStandIn({ heartbeatIntervalMs: 1000, ...opts.standIn });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    rest: { api: standIn.restUrl, timeout: 5000, retries: 3 },
    ...opts.client,
  });
  const onCatch = new Set<() => void>();
  const bot: Bot = {
    standIn,
    client,
    caught: [],
    waitCaught: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (bot.caught.length < n) return;
          onCatch.delete(check);
          clearTimeout(timer);
          resolve(bot.caught);
        };
        const timer = setTimeout(() => {
          onCatch.delete(check);
          reject(new Error(`expected ${n} caught error(s), got ${bot.caught.length}`));
        }, timeoutMs);
        onCatch.add(check);
        check();
      }),
  };
  t.after(async () => {
    await client.destroy();
    await standIn.close();
  });
  const guard = (fn: () => Promise<void>) =>
    fn().catch((error: unknown) => {
      bot.caught.push(error);
      for (const check of [...onCatch]) check();
    });
  if (opts.onInteraction)
    client.on(Events.InteractionCreate, (i) =>
      guard(() => opts.onInteraction?.(i, bot) ?? Promise.resolve()),
    );
  if (opts.onMessage)
    client.on(Events.MessageCreate, (m) => guard(() => opts.onMessage?.(m, bot) ?? Promise.resolve()));
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(standIn.token);
  await ready;
  await standIn.waitForReady();
  return bot;
}

const apiCode = (error: unknown) => (error instanceof DiscordAPIError ? error.code : undefined);

test('login: READY and GUILD_CREATE are cached by discord.js, heartbeats are acknowledged', async (t) => {
  const { standIn, client } = await boot(t, { standIn: { heartbeatIntervalMs: 300 } });
  const guild = standIn.guild();
  assert.equal(client.user?.id, standIn.botUserId);
  assert.equal(client.user?.bot, true);
  assert.equal(client.application?.id, standIn.applicationId);
  assert.equal(client.guilds.cache.get(guild.id)?.name, guild.name);
  const channel = client.channels.cache.get(guild.channels[0]?.id ?? '');
  assert.ok(channel?.isTextBased() && !channel.isDMBased(), 'the text channel is cached as a guild channel');
  assert.ok(
    client.guilds.cache.get(guild.id)?.members.cache.has(standIn.botUserId),
    'the bot member is cached',
  );
  assert.equal(standIn.identifies.length, 1);
  assert.equal(standIn.identifies[0]?.intents, GatewayIntentBits.Guilds | GatewayIntentBits.DirectMessages);
  await standIn.waitFor(() => standIn.heartbeats.length >= 2, 5000);
  assert.ok((standIn.heartbeats[1]?.sinceLastMs ?? 0) > 0);
  await standIn.waitFor(() => client.ws.ping >= 0, 5000, 'a heartbeat ACK');
});

test('slash command: deferReply + editReply is the final reply', async (t) => {
  const { standIn } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply(`answer to ${i.options.getString('q')}`);
    },
  });
  const handle = standIn.sendCommand({ name: 'ask', options: [{ name: 'q', type: 3, value: 'why' }] });
  const reply = await handle.waitForFinalReply();
  assert.equal(reply.content, 'answer to why');
  assert.equal(reply.loading, false);
  assert.equal(reply.type, 20);
  assert.equal(reply.interactionId, handle.id);
  assert.deepEqual(
    handle.callbacks.map((c) => c.type),
    [5],
  );
  assert.deepEqual(
    standIn.messages(standIn.guild().channels[0]?.id).map((m) => m.content),
    ['answer to why'],
  );
});

test('ephemeral reply is recorded with flag 64 and is not visible in channel history', async (t) => {
  const { standIn, client } = await boot(t, {
    onInteraction: async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
    },
  });
  const handle = standIn.sendCommand({ name: 'secret' });
  const reply = await handle.waitForFinalReply();
  assert.equal(reply.ephemeral, true);
  assert.equal(reply.flags & 64, 64);
  const channelId = standIn.guild().channels[0]?.id ?? '';
  const history = await client.rest.get(Routes.channelMessages(channelId));
  assert.deepEqual(history, []);
});

test('autocomplete: choices are recorded; more than 25 are rejected with 50035', async (t) => {
  const { standIn, caught, waitCaught } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isAutocomplete()) return;
      const n = i.options.getFocused() === 'many' ? 26 : 2;
      await i.respond(Array.from({ length: n }, (_, k) => ({ name: `topic ${k}`, value: `t${k}` })));
    },
  });
  const ok = standIn.sendAutocomplete({
    name: 'search',
    options: [{ name: 'q', type: 3, value: 'few', focused: true }],
  });
  await standIn.waitFor(() => ok.autocompleteChoices());
  assert.deepEqual(ok.autocompleteChoices(), [
    { name: 'topic 0', value: 't0' },
    { name: 'topic 1', value: 't1' },
  ]);
  const tooMany = standIn.sendAutocomplete({
    name: 'search',
    options: [{ name: 'q', type: 3, value: 'many', focused: true }],
  });
  await standIn.waitFor(() => tooMany.rejected.length > 0);
  assert.equal(tooMany.rejected[0]?.code, 50035);
  assert.equal(tooMany.autocompleteChoices(), undefined);
  await waitCaught(1);
  assert.equal(apiCode(caught[0]), 50035);
});

test('button click: the full message is sent and interaction.update edits it', async (t) => {
  const { standIn } = await boot(t, {
    onInteraction: async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('more:1').setLabel('More').setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setURL('https://example.org/a').setLabel('Source').setStyle(ButtonStyle.Link),
        );
        await i.reply({ content: 'page 1', components: [row] });
      } else if (i.isButton()) {
        assert.equal(i.message.content, 'page 1');
        await i.update({ content: `page 2 via ${i.customId}`, components: [] });
      }
    },
  });
  const command = standIn.sendCommand({ name: 'browse' });
  const first = await command.waitForFinalReply();
  assert.equal(first.components[0]?.components.length, 2);
  assert.throws(() => standIn.clickButton({ customId: 'nope', message: first }), /no button/);
  const click = standIn.clickButton({ customId: 'more:1', message: first });
  const updated = await click.waitForFinalReply();
  assert.equal(updated.id, first.id);
  assert.equal(updated.content, 'page 2 via more:1');
  assert.deepEqual(updated.components, []);
  assert.equal(click.callbacks[0]?.type, 7);
  assert.equal(click.payload.message && (click.payload.message as { id: string }).id, first.id);
});

test('followUp creates a new message; after deferReply the first followUp edits the loading message', async (t) => {
  const { standIn } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      if (i.commandName === 'two') {
        await i.reply('first');
        await i.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      } else {
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        await i.followUp('replaces the thinking message');
      }
    },
  });
  const two = standIn.sendCommand({ name: 'two' });
  await standIn.waitFor(() => two.followUps().length === 1);
  assert.equal(two.original()?.content, 'first');
  assert.equal(two.followUps()[0]?.content, 'second');
  assert.equal(two.followUps()[0]?.ephemeral, true);
  const deferred = standIn.sendCommand({ name: 'deferred' });
  const final = await deferred.waitForFinalReply();
  assert.equal(final.content, 'replaces the thinking message');
  assert.equal(final.ephemeral, true, 'the ephemeral state of the deferral is kept');
  assert.deepEqual(deferred.followUps(), []);
});

test('a second acknowledgement is rejected with 40060', async (t) => {
  const { standIn, caught, waitCaught } = await boot(t, {
    onInteraction: async (i, bot) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('once');
      await bot.client.rest.post(Routes.interactionCallback(i.id, i.token), {
        body: { type: 4, data: { content: 'twice' } },
        auth: false,
      });
    },
  });
  const handle = standIn.sendCommand({ name: 'ping' });
  await waitCaught(1);
  assert.equal(apiCode(caught[0]), 40060);
  assert.equal((caught[0] as Error).message, 'Interaction has already been acknowledged.');
  assert.deepEqual(
    handle.rejected.map((r) => r.code),
    [40060],
  );
  assert.equal(handle.original()?.content, 'once');
});

test('expiry: a callback after 3 s (injected clock) gets 10062; an expired token gets 50027', async (t) => {
  let clock = Date.parse('2025-01-01T00:00:00Z');
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { standIn, caught, waitCaught } = await boot(t, {
    standIn: { now: () => clock },
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      if (i.commandName === 'slow') {
        await gate;
        await i.reply('too late');
      } else {
        await i.deferReply();
        await gate;
        await i.editReply('also too late');
      }
    },
  });
  const slow = standIn.sendCommand({ name: 'slow' });
  const deferred = standIn.sendCommand({ name: 'deferred' });
  await standIn.waitFor(() => deferred.callbacks.length === 1);
  clock += 3001;
  deferred.expire();
  release();
  await waitCaught(2);
  assert.deepEqual(caught.map(apiCode).sort(), [10062, 50027]);
  assert.equal(slow.rejected[0]?.code, 10062);
  assert.equal(deferred.rejected[0]?.code, 50027);
  assert.equal(slow.original(), undefined);
});

test('payload limits: a 4097-character embed description is rejected with 50035 and the reply can be retried', async (t) => {
  const { standIn, caught } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      // Plain objects: EmbedBuilder would refuse the long description before it reaches Discord.
      try {
        await i.reply({ embeds: [{ description: 'x'.repeat(4097) }] });
      } catch (error) {
        caught.push(error);
        await i.reply({ embeds: [{ description: 'x'.repeat(4096) }] });
      }
    },
  });
  const handle = standIn.sendCommand({ name: 'long' });
  const reply = await handle.waitForFinalReply();
  assert.equal(reply.embeds[0]?.description.length, 4096);
  const error = caught[0] as DiscordAPIError;
  assert.equal(error.code, 50035);
  assert.deepEqual((error.rawError as { errors: unknown }).errors, {
    data: {
      embeds: {
        '0': {
          description: {
            _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }],
          },
        },
      },
    },
  });
  assert.match(error.message, /data\.embeds\[0\]\.description\[BASE_TYPE_MAX_LENGTH\]/);
  assert.equal(handle.rejected[0]?.code, 50035);
});

test('payload limits on channel messages: content, total embed size, duplicate custom ids', async (t) => {
  const { standIn, client } = await boot(t);
  const channel = await client.channels.fetch(standIn.guild().channels[0]?.id ?? '');
  assert.ok(channel?.isSendable());
  const fail = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('expected a 50035'),
      (e: DiscordAPIError) => e,
    );
  const tooLong = await fail(channel.send('y'.repeat(2001)));
  assert.equal(tooLong.code, 50035);
  assert.match(tooLong.message, /content\[BASE_TYPE_MAX_LENGTH\]/);
  const big = [0, 1].map(() => new EmbedBuilder().setDescription('z'.repeat(3001)));
  assert.match((await fail(channel.send({ embeds: big }))).message, /MAX_EMBED_SIZE_EXCEEDED/);
  const dup = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId('same').setLabel('a').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId('same').setLabel('b').setStyle(ButtonStyle.Secondary),
  );
  assert.match(
    (await fail(channel.send({ content: 'x', components: [dup] }))).message,
    /COMPONENT_CUSTOM_ID_DUPLICATED/,
  );
  assert.equal(apiCode(await channel.send('').catch((e) => e)), 50006);
  assert.deepEqual(standIn.messages(), []);
});

test('allowed_mentions are recorded exactly as sent and decide who is pinged', async (t) => {
  const { standIn } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: `<@${i.user.id}> quiet`, allowedMentions: { parse: [] } });
      await i.followUp(`<@${i.user.id}> loud`);
    },
  });
  const handle = standIn.sendCommand({ name: 'mention' });
  await standIn.waitFor(() => handle.followUps()[0]);
  assert.deepEqual(handle.original()?.allowedMentions, { parse: [] });
  assert.deepEqual(handle.original()?.mentionedUserIds, []);
  assert.equal(handle.followUps()[0]?.allowedMentions, undefined);
  assert.deepEqual(handle.followUps()[0]?.mentionedUserIds, [standIn.user().id]);
});

test('DM: MESSAGE_CREATE with channel_type 1 reaches messageCreate; replies land in the DM channel', async (t) => {
  const seen: string[] = [];
  let sawAll: () => void = () => {};
  const allSeen = new Promise<void>((resolve) => {
    sawAll = resolve;
  });
  const { standIn } = await boot(t, {
    onMessage: async (m) => {
      seen.push(`${m.author.bot ? 'bot' : 'user'}:${m.content}`);
      if (seen.length === 3) sawAll();
      if (m.author.bot) return;
      assert.equal(m.channel.isDMBased(), true);
      assert.equal(m.guildId, null);
      await m.reply(`echo ${m.content}`);
      assert.ok(m.channel.isSendable());
      await m.channel.send('and one more');
    },
  });
  const alice = standIn.user(0);
  const sent = await standIn.sendDirectMessage({ content: 'hi bot', userIdx: 0 });
  assert.equal(standIn.dmChannelOf(alice.id), sent.channelId);
  await standIn.waitFor(() => standIn.messages(sent.channelId).length === 2);
  const [reply, more] = standIn.messages(sent.channelId);
  assert.equal(reply?.content, 'echo hi bot');
  assert.equal(reply?.referencedMessageId, sent.messageId);
  assert.deepEqual(reply?.mentionedUserIds, [alice.id], 'message.reply pings the author by default');
  assert.equal(more?.content, 'and one more');
  await allSeen; // the bot also receives MESSAGE_CREATE for its own two messages
  assert.deepEqual(seen, ['user:hi bot', 'bot:echo hi bot', 'bot:and one more']);
});

test('DM events are not sent without the DIRECT_MESSAGES intent, nor guilds without GUILDS', async (t) => {
  const dms: string[] = [];
  const { standIn, client } = await boot(t, {
    client: { intents: [] },
    onMessage: async (m) => {
      dms.push(m.content);
    },
    onInteraction: async (i) => {
      if (i.isChatInputCommand()) await i.reply('ok');
    },
  });
  assert.equal(
    client.guilds.cache.first()?.available,
    false,
    'READY lists the guild; no GUILD_CREATE follows',
  );
  await standIn.sendDirectMessage({ content: 'unseen' });
  // Gateway events are ordered: once the later interaction is answered, the DM would have arrived.
  await standIn.sendCommand({ name: 'probe', guildId: null }).waitForFinalReply();
  assert.deepEqual(dms, []);
});

test('closeGateway mid-session: the client resumes and the missed interaction is replayed and answered', async (t) => {
  const { standIn, client } = await boot(t, {
    onInteraction: async (i) => {
      if (i.isChatInputCommand()) await i.reply(`pong ${i.commandName}`);
    },
  });
  const replayed = new Promise<number>((resolve) => client.once(Events.ShardResume, (_id, n) => resolve(n)));
  standIn.closeGateway();
  const missed = standIn.sendCommand({ name: 'missed' });
  const reply = await missed.waitForFinalReply(8000);
  assert.equal(reply.content, 'pong missed');
  assert.ok((await replayed) >= 1, 'the interaction was replayed on RESUME');
  assert.equal(standIn.resumes, 1);
  assert.equal(standIn.identifies.length, 1);
});

test('invalidateNextResume: op 9 makes the client identify again', async (t) => {
  const { standIn } = await boot(t, {
    client: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } },
    onInteraction: async (i) => {
      if (i.isChatInputCommand()) await i.reply('back');
    },
  });
  standIn.invalidateNextResume();
  standIn.closeGateway();
  await standIn.waitFor(() => standIn.identifies.length === 2, 8000);
  await standIn.waitForReady();
  assert.equal(standIn.resumes, 0);
  const reply = await standIn.sendCommand({ name: 'after' }).waitForFinalReply();
  assert.equal(reply.content, 'back');
});

test('429 with retry-after: discord.js waits and the reply still lands', async (t) => {
  const { standIn } = await boot(t, {
    onInteraction: async (i) => {
      if (i.isChatInputCommand()) await i.reply('after the limit');
    },
  });
  standIn.failNext({ path: /\/callback$/, status: 429, retryAfterSeconds: 0.2 });
  const handle = standIn.sendCommand({ name: 'limited' });
  assert.equal((await handle.waitForFinalReply()).content, 'after the limit');
  const calls = standIn.requests.filter((r) => r.path.endsWith('/callback'));
  assert.deepEqual(
    calls.map((r) => r.status),
    [429, 204],
  );
  assert.ok((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0) >= 150, 'the retry waited for retry-after');
});

test('500 on a channel message: discord.js retries and the message lands once', async (t) => {
  const { standIn, client } = await boot(t);
  const channelId = standIn.guild().channels[0]?.id ?? '';
  standIn.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, times: 2 });
  const channel = await client.channels.fetch(channelId);
  assert.ok(channel?.isSendable());
  await channel.send('eventually');
  assert.deepEqual(
    standIn.messages(channelId).map((m) => m.content),
    ['eventually'],
  );
  const posts = standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
  assert.deepEqual(
    posts.map((r) => r.status),
    [500, 500, 200],
  );
});

test('bulk command overwrite returns ids and interactions carry the registered command id', async (t) => {
  const seen: string[] = [];
  const { standIn, client } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      seen.push(i.commandId);
      await i.reply('ok');
    },
  });
  const body = [
    {
      name: 'ask',
      description: 'Ask the archive',
      options: [{ type: 3, name: 'q', description: 'question', required: true }],
    },
    { name: 'admin', description: 'Admin things', default_member_permissions: '32' },
  ];
  const first = await client.application?.commands.set(body);
  assert.equal(first?.size, 2);
  const registered = standIn.commands();
  assert.deepEqual(
    registered.map((c) => c.name),
    ['ask', 'admin'],
  );
  assert.equal(registered[1]?.default_member_permissions, '32');
  assert.equal(registered[0]?.application_id, standIn.applicationId);
  const again = await client.application?.commands.set(body);
  assert.deepEqual(
    [...(again?.keys() ?? [])],
    registered.map((c) => c.id),
    'ids survive an overwrite',
  );
  const guildCmds = await client.application?.commands.set(
    [{ name: 'local', description: 'guild only' }],
    standIn.guild().id,
  );
  assert.equal(guildCmds?.first()?.guildId, standIn.guild().id);
  await standIn
    .sendCommand({ name: 'ask', options: [{ name: 'q', type: 3, value: 'x' }] })
    .waitForFinalReply();
  assert.deepEqual(seen, [registered[0]?.id]);
  const bad = await client.application?.commands
    .set([{ name: 'Bad Name', description: 'x' }])
    .catch((e) => e);
  assert.equal(apiCode(bad), 50035);
});

test('bad token: login rejects (REST 401) and IDENTIFY is closed with 4004', async (t) => {
  const standIn = await startDiscordStandIn({ token: 'right' });
  const client = new Client({ intents: [], rest: { api: standIn.restUrl, timeout: 5000 } });
  t.after(async () => {
    await client.destroy();
    await standIn.close();
  });
  await assert.rejects(client.login('wrong'), /invalid token/i);
  const ws = new WebSocket(`${standIn.gatewayUrl}?v=10&encoding=json`);
  const code = await new Promise<number>((resolve) => {
    ws.on('message', () =>
      ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 0, properties: {} } })),
    );
    ws.on('close', (c) => resolve(c));
  });
  assert.equal(code, 4004);
});

test('compress=zlib-stream is honoured when the client asks for it', async (t) => {
  const standIn = await startDiscordStandIn({ heartbeatIntervalMs: 1234 });
  t.after(() => standIn.close());
  const ws = new WebSocket(`${standIn.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
  const chunks: Buffer[] = [];
  const hello = await new Promise<{ op: number; d: { heartbeat_interval: number } }>((resolve) => {
    ws.on('message', (data: Buffer, isBinary) => {
      assert.equal(isBinary, true);
      chunks.push(data);
      if (data.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff]))) {
        resolve(JSON.parse(inflateSync(Buffer.concat(chunks), { finishFlush: 2 }).toString()));
      }
    });
  });
  assert.deepEqual([hello.op, hello.d.heartbeat_interval], [10, 1234]);
  ws.close(1000);
});

test('REST basics: 401 without auth, 404 unknown route, 204 has no content-type, with_response, files', async (t) => {
  const { standIn } = await boot(t, {
    onInteraction: async (i) => {
      if (!i.isChatInputCommand()) return;
      const res = await i.reply({
        content: 'with file',
        files: [{ attachment: Buffer.from('hello'), name: 'notes.txt' }],
        withResponse: true,
      });
      assert.equal(res.resource?.message?.content, 'with file');
    },
  });
  const unauth = await fetch(`${standIn.restUrl}/v10/users/@me`);
  assert.equal(unauth.status, 401);
  assert.deepEqual(await unauth.json(), { message: '401: Unauthorized', code: 0 });
  const missing = await fetch(`${standIn.restUrl}/v10/nope`, {
    headers: { authorization: `Bot ${standIn.token}` },
  });
  assert.deepEqual([missing.status, await missing.json()], [404, { message: '404: Not Found', code: 0 }]);
  const handle = standIn.sendCommand({ name: 'file' });
  const reply = await handle.waitForFinalReply();
  assert.deepEqual(
    reply.attachments.map((a) => [a.filename, a.size]),
    [['notes.txt', 5]],
  );
  const typing = await fetch(`${standIn.restUrl}/v10/channels/${reply.channelId}/typing`, {
    method: 'POST',
    headers: { authorization: `Bot ${standIn.token}` },
  });
  assert.equal(typing.status, 204);
  assert.equal(typing.headers.get('content-type'), null);
});

test('channel faults: missing channel 10003, denied 50013, blocked DMs 50007', async (t) => {
  const { standIn, client } = await boot(t, {
    standIn: { guilds: [{ channels: [{ name: 'a' }, { name: 'b' }] }] },
  });
  const [a, b] = standIn.guild().channels;
  standIn.setChannelMissing(a?.id ?? '');
  standIn.denyChannel(b?.id ?? '');
  const bob = standIn.user(1);
  standIn.blockDirectMessagesFrom(bob.id);
  const post = (id: string) =>
    client.rest.post(Routes.channelMessages(id), { body: { content: 'x' } }).catch(apiCode);
  assert.equal(await post(a?.id ?? ''), 10003);
  assert.equal(await post(b?.id ?? ''), 50013);
  const dm = await (await client.users.fetch(bob.id)).createDM();
  assert.equal(dm.id, standIn.dmChannelOf(bob.id));
  assert.equal(await post(dm.id), 50007);
});

/** Opens a raw gateway socket, sends `send` after HELLO, and reports the close code and the ops received. */
function gatewayExchange(
  url: string,
  send: unknown[],
  onDispatch?: (p: { t: string; d: Record<string, unknown> }, ws: WebSocket) => void,
): Promise<{ code: number; ops: number[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const ops: number[] = [];
    ws.on('message', (data) => {
      const p = JSON.parse(String(data));
      ops.push(p.op);
      if (p.op === 10) for (const s of send) ws.send(typeof s === 'string' ? s : JSON.stringify(s));
      if (p.op === 0) onDispatch?.(p, ws);
      if (p.op === 9) ws.close(1000);
    });
    ws.on('close', (code) => resolve({ code, ops }));
  });
}

test('gateway close codes and INVALID_SESSION follow the Discord docs', async (t) => {
  const standIn = await startDiscordStandIn({ heartbeatTimeoutMs: 300, allowedPrivilegedIntents: 0 });
  t.after(() => standIn.close());
  const url = `${standIn.gatewayUrl}?v=10&encoding=json`;
  const identify = (intents: number) => ({ op: 2, d: { token: standIn.token, intents, properties: {} } });
  assert.equal((await gatewayExchange(url, [{ op: 3, d: {} }])).code, 4003);
  assert.equal((await gatewayExchange(url, [{ op: 42, d: {} }])).code, 4001);
  assert.equal((await gatewayExchange(url, ['{not json'])).code, 4002);
  assert.equal((await gatewayExchange(url, [identify(-1)])).code, 4013);
  assert.equal((await gatewayExchange(url, [identify(1 << 15)])).code, 4014, 'MESSAGE_CONTENT not allowed');
  assert.equal((await gatewayExchange(`${standIn.gatewayUrl}?v=6&encoding=json`, [])).code, 4012);
  const unknown = await gatewayExchange(url, [
    { op: 6, d: { token: standIn.token, session_id: 'nope', seq: 1 } },
  ]);
  assert.deepEqual(unknown.ops, [10, 9]);
  let sessionId = '';
  await gatewayExchange(url, [identify(1)], (p, ws) => {
    if (p.t !== 'READY') return;
    sessionId = String(p.d.session_id);
    ws.close(4000);
  });
  const badSeq = { op: 6, d: { token: standIn.token, session_id: sessionId, seq: 999 } };
  assert.equal((await gatewayExchange(url, [badSeq])).code, 4007);
  assert.equal((await gatewayExchange(url, [])).code, 4009, 'no heartbeat: session timed out');
});

test('channel messages: edits and deletes are recorded; others cannot be edited (50005)', async (t) => {
  const { standIn, client } = await boot(t);
  const channel = await client.channels.fetch(standIn.guild().channels[0]?.id ?? '');
  assert.ok(channel?.isSendable());
  const sent = await channel.send({ content: 'draft', allowedMentions: { users: [] } });
  await sent.edit('final');
  const [recorded] = standIn.messages(channel.id);
  assert.equal(recorded?.content, 'final');
  assert.ok(recorded?.editedAt !== undefined);
  assert.deepEqual(recorded?.allowedMentions, { users: [] });
  const fetched = await channel.messages.fetch({ limit: 10 });
  assert.deepEqual([...fetched.keys()], [sent.id]);
  await sent.delete();
  assert.equal(standIn.message(sent.id)?.deleted, true);
  assert.equal(
    apiCode(await channel.messages.fetch({ message: sent.id, force: true }).catch((e) => e)),
    10008,
  );
  const { channelId, messageId } = await standIn.sendDirectMessage({ content: 'mine' });
  const edit = client.rest.patch(Routes.channelMessage(channelId, messageId), { body: { content: 'x' } });
  assert.equal(apiCode(await edit.catch((e) => e)), 50005);
});

test('guilds: member lookup knows who is in which server; leaving sends GUILD_DELETE; a new server arrives as GUILD_CREATE', async (t) => {
  const { standIn, client } = await boot(t, {
    standIn: {
      users: [{ username: 'alice' }, { username: 'bob' }],
      guilds: [{ name: 'One', members: ['alice'] }, { name: 'Two' }],
    },
  });
  const [one, two] = [standIn.guild(0), standIn.guild(1)];
  const [alice, bob] = [standIn.user(0), standIn.user(1)];
  const member = (await client.rest.get(Routes.guildMember(one.id, alice.id))) as { user: { id: string } };
  assert.equal(member.user.id, alice.id);
  await assert.rejects(client.rest.get(Routes.guildMember(one.id, bob.id)), (e) => apiCode(e) === 10007);
  await assert.rejects(
    client.rest.get(Routes.guildMember(one.id, '1234567890123456789')),
    (e) => apiCode(e) === 10013,
  );
  assert.ok(await client.rest.get(Routes.guildMember(two.id, bob.id)), 'members of every server by default');

  const deleted = new Promise<string>((resolve) => client.once(Events.GuildDelete, (g) => resolve(g.id)));
  await client.guilds.cache.get(two.id)?.leave();
  assert.equal(await deleted, two.id);
  assert.deepEqual(standIn.joinedGuildIds(), [one.id]);
  await assert.rejects(client.rest.get(Routes.guildMember(two.id, bob.id)), (e) => apiCode(e) === 10004);
  await assert.rejects(client.rest.delete(Routes.userGuild(two.id)), (e) => apiCode(e) === 10004);

  const created = new Promise<string>((resolve) => client.once(Events.GuildCreate, (g) => resolve(g.name)));
  const three = standIn.addGuild({ name: 'Three', channels: [{ name: 'news' }] });
  assert.equal(await created, 'Three');
  assert.equal(client.channels.cache.get(three.channels[0]?.id ?? '')?.isTextBased(), true);
  assert.deepEqual(standIn.joinedGuildIds(), [one.id, three.id]);
});

test('threads: started from a message (its id), cached by discord.js, messages in them, members, 160004 for a second one', async (t) => {
  const seen: Array<{ content: string; channelId: string; inThread: boolean }> = [];
  const { standIn, client } = await boot(t, {
    client: {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    },
    onMessage: async (m) => {
      if (m.author.bot) return;
      seen.push({ content: m.content, channelId: m.channelId, inThread: m.channel.isThread() });
      await m.reply({ content: `echo ${m.content}`, allowedMentions: { parse: [] } });
    },
  });
  const general = standIn.guild().channels[0]?.id as string;
  const channel = await client.channels.fetch(general);
  assert.ok(channel?.isSendable());
  const start = await channel.send('the answer');
  const thread = await start.startThread({
    name: 'A question, as the thread name',
    autoArchiveDuration: 1440,
  });
  assert.equal(thread.id, start.id, 'a thread started from a message has its id');
  assert.equal(thread.parentId, general);
  assert.ok(client.channels.cache.get(thread.id)?.isThread(), 'THREAD_CREATE cached it');
  const [listed] = standIn.threads(general);
  assert.equal(listed?.name, 'A question, as the thread name');
  assert.deepEqual(listed?.memberIds, [standIn.botUserId]);
  await assert.rejects(
    client.rest.post(Routes.threads(general, start.id), { body: { name: 'again' } }),
    (e: unknown) => apiCode(e) === 160004,
  );
  await assert.rejects(
    client.rest.post(Routes.threads(general, (await channel.send('x')).id), {
      body: { name: 'n'.repeat(101) },
    }),
    (e: unknown) => apiCode(e) === 50035,
  );
  const alice = standIn.user(0);
  const sent = await standIn.sendMessage({ channelId: thread.id, content: 'a follow-up', userIdx: 0 });
  await standIn.waitFor(() =>
    standIn.messages(thread.id).some((m) => m.referencedMessageId === sent.messageId),
  );
  assert.deepEqual(seen, [{ content: 'a follow-up', channelId: thread.id, inThread: true }]);
  assert.ok(standIn.threads(general)[0]?.memberIds.includes(alice.id), 'writing in a thread joins it');
  const members = (await client.rest.get(Routes.threadMembers(thread.id))) as Array<{ user_id: string }>;
  assert.deepEqual(members.map((m) => m.user_id).sort(), [standIn.botUserId, alice.id].sort());
});

test('Message Content: without the intent a server message arrives empty unless it mentions the bot', async (t) => {
  const seen: string[] = [];
  let sawBoth: () => void = () => {};
  const both = new Promise<void>((resolve) => {
    sawBoth = resolve;
  });
  const { standIn } = await boot(t, {
    client: { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] },
    onMessage: async (m) => {
      if (!m.author.bot) seen.push(m.content);
      if (seen.length === 2) sawBoth();
    },
  });
  const general = standIn.guild().channels[0]?.id as string;
  await standIn.sendMessage({ channelId: general, content: 'not for the bot' });
  await standIn.sendMessage({ channelId: general, content: `${standIn.botMention} for the bot` });
  await both;
  assert.deepEqual(seen, ['', `${standIn.botMention} for the bot`]);
});
