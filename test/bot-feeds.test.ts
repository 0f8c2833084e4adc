import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type BotHarness, int, startHarness, str } from './helpers/bot.js';
import { buildDocx } from './helpers/docx-writer.js';
import { articlePage, paragraphs, rss } from './helpers/feed-fixtures.js';
import { type FeedServer, serve, startFeedServer } from './helpers/feed-server.js';
import { buildPdf, columnTexts } from './helpers/pdf-writer.js';

let h: BotHarness;
let server: FeedServer;
const MANAGER = '32'; // Manage Server
const ATTACHMENT_ID = '1300000000000000001';

const add = (options: unknown[], extra: Record<string, unknown> = {}) =>
  h.discord
    .sendCommand({ name: 'add', options: options as never[], memberPermissions: MANAGER, ...extra })
    .waitForFinalReply();

const channelPosts = () =>
  h.discord.messages(h.discord.guild().channels[0]?.id).filter((m) => !m.interactionId);

before(async () => {
  server = await startFeedServer();
  h = await startHarness({
    env: { FEEDS_ALLOW_PRIVATE: '1', INSTANT_MIN_SECONDS: '60', ADD_MAX_FILE_MB: '0.05' },
    bot: { startScheduler: false, startLivingArchive: false },
  });
});
after(async () => {
  await h.stop();
  await server.close();
});

describe('/add', () => {
  it('adds an attached file to the corpus and the index, and says what was added', async () => {
    const note = `---\ntitle: "Night buses: a new route"\noutlet: Metro Desk\ndate: 2026-11-19\n---\n${paragraphs('Night bus').join('\n\n')}\n`;
    server.route('/cdn/night-buses.md', serve(note, 'text/markdown'));
    const reply = await add([{ name: 'file', type: 11, value: ATTACHMENT_ID }], {
      attachments: [
        {
          id: ATTACHMENT_ID,
          filename: 'Night buses.md',
          url: server.url('/cdn/night-buses.md'),
          size: note.length,
        },
      ],
    });
    assert.equal(reply.ephemeral, true);
    assert.match(reply.content, /Added to the archive as `uploads\/2026-11-20-night-buses\.md`/);
    assert.match(reply.content, /\*\*Night buses: a new route\*\*, Metro Desk, 19 Nov 2026: \d+ passages?/);
    assert.equal(await readFile(path.join(h.corpusDir, 'uploads/2026-11-20-night-buses.md'), 'utf8'), note);
    assert.ok(h.bot.ctx.search.articles.some((a) => a.title === 'Night buses: a new route'));
  });

  it('adds a link: the page fetched, its article and metadata kept', async () => {
    server.route(
      '/news/market-hall',
      serve(
        articlePage({
          title: 'Market hall roof repaired',
          body: paragraphs('Market hall'),
          siteName: 'Town Crier',
          published: '2026-11-18T09:00:00Z',
          author: 'Eve Stone',
        }),
        'text/html',
      ),
    );
    const reply = await add([str('url', server.url('/news/market-hall'))]);
    assert.match(
      reply.content,
      /Added to the archive as `uploads\/town-crier\/2026-11-18-market-hall-roof-repaired\.md`/,
    );
    assert.match(reply.content, /\*\*Market hall roof repaired\*\*, Town Crier, 18 Nov 2026/);
    const stored = h.bot.ctx.search.articles.find((a) => a.title === 'Market hall roof repaired');
    assert.equal(stored?.author, 'Eve Stone');
    assert.equal(stored?.url, server.url('/news/market-hall'));
    const again = await add([str('url', `${server.url('/news/market-hall')}?utm_source=share`)]);
    assert.match(again.content, /already in the archive: “Market hall roof repaired”/);
  });

  it('adds an attached PDF and Word file, and a link to a PDF, whose quotes know their page', async () => {
    const attach = (filename: string, route: string, size: number) => ({
      attachments: [{ id: ATTACHMENT_ID, filename, url: server.url(route), size }],
    });
    const file = [{ name: 'file', type: 11, value: ATTACHMENT_ID }];
    const pdf = buildPdf(
      [
        { texts: columnTexts(['The lighthouse keeper retired after forty years.']) },
        { texts: columnTexts(['The lamp was converted to solar power in October.']) },
      ],
      { info: { Title: 'Lighthouse annual report', CreationDate: 'D:20261101', Publisher: 'Coast Trust' } },
    );
    server.route('/cdn/lighthouse.pdf', serve(pdf, 'application/pdf'));
    const fromFile = await add(file, attach('Lighthouse.pdf', '/cdn/lighthouse.pdf', pdf.length));
    assert.match(fromFile.content, /Added to the archive as `uploads\/2026-11-20-lighthouse\.pdf`/);
    assert.match(fromFile.content, /\*\*Lighthouse annual report\*\*, Coast Trust, 1 Nov 2026/);

    const docx = buildDocx(
      [
        { text: 'Pier repairs begin', style: 'Heading1' },
        'Workers began repairing the pier piles on Monday.',
      ],
      {
        core: { creator: 'Sam Reid', created: '2026-11-12T10:00:00Z' },
        company: 'Pier Trust',
      },
    );
    server.route('/cdn/pier.docx', serve(docx, 'application/octet-stream'));
    const fromWord = await add(file, attach('pier.docx', '/cdn/pier.docx', docx.length));
    assert.match(fromWord.content, /\*\*Pier repairs begin\*\*, Pier Trust, 12 Nov 2026/);

    const linked = buildPdf(
      [
        { texts: columnTexts(['The tram survey covers every journey of the year.']) },
        { texts: columnTexts(['Trams ran late on 61 days, mostly in the winter snow.']) },
      ],
      { info: { Title: 'Tram punctuality survey' } },
    );
    server.route('/reports/tram.pdf', serve(linked, 'application/pdf'));
    const fromLink = await add([str('url', server.url('/reports/tram.pdf')), str('outlet', 'Tram Watch')]);
    assert.match(fromLink.content, /\*\*Tram punctuality survey\*\*, Tram Watch/);

    const answer = await h.bot.ctx.search.search('On how many days did trams run late?', { limit: 1 });
    assert.equal(answer.results[0]?.title, 'Tram punctuality survey');
    assert.deepEqual(
      answer.results[0]?.pages,
      { first: 2, last: 2 },
      'the PDF behind the link keeps its pages',
    );
    const solar = await h.discord
      .sendCommand({
        name: 'ask',
        options: [str('question', 'When was the lamp converted to solar power?'), int('count', 1)],
      })
      .waitForFinalReply();
    const [embed] = solar.embeds as Array<{ title: string; author: { name: string }; description: string }>;
    assert.equal(embed?.title, 'Lighthouse annual report');
    assert.equal(
      embed?.author.name,
      'Coast Trust · 1 Nov 2026 · p. 2',
      '/ask shows the page beside the source',
    );
    assert.match(embed?.description ?? '', /converted to solar power/);
  });

  it('says exactly why a file or link is not added', async () => {
    const refuse = async (options: unknown[], extra: Record<string, unknown> = {}) =>
      (await add(options, extra)).content;
    const attach = (filename: string, route: string, size: number) => ({
      attachments: [{ id: ATTACHMENT_ID, filename, url: server.url(route), size }],
    });
    server.route('/cdn/photo.png', serve(Buffer.from([0x89, 0x50]), 'image/png'));
    assert.match(
      await refuse(
        [{ name: 'file', type: 11, value: ATTACHMENT_ID }],
        attach('photo.png', '/cdn/photo.png', 2),
      ),
      /“photo\.png” is not a file type the archive reads/,
    );
    assert.match(
      await refuse(
        [{ name: 'file', type: 11, value: ATTACHMENT_ID }],
        attach('big.txt', '/cdn/big.txt', 10_000_000),
      ),
      /files up to 0\.05 MB can be added/,
    );
    // A file that claims to be small but is not: cut off while downloading.
    server.route('/cdn/liar.txt', serve('x'.repeat(200_000), 'text/plain'));
    assert.match(
      await refuse(
        [{ name: 'file', type: 11, value: ATTACHMENT_ID }],
        attach('liar.txt', '/cdn/liar.txt', 10),
      ),
      /larger than 0\.05 MB/,
    );
    server.route('/cdn/bad.json', serve('{"title": ', 'application/json'));
    assert.match(
      await refuse(
        [{ name: 'file', type: 11, value: ATTACHMENT_ID }],
        attach('bad.json', '/cdn/bad.json', 10),
      ),
      /Nothing in that file can be added: .*JSON/i,
    );
    server.route(
      '/empty-page',
      serve('<html><head><title>Nothing</title></head><body><p>Hi.</p></body></html>', 'text/html'),
    );
    assert.match(await refuse([str('url', server.url('/empty-page'))]), /No article text found at/);
    assert.match(await refuse([str('url', 'file:///etc/passwd')]), /not an http\(s\) link/);
    assert.match(await refuse([]), /Attach one file \(`file`\) or give one link \(`url`\)/);
    const denied = await add([str('url', server.url('/news/market-hall'))], { memberPermissions: '0' });
    assert.match(denied.content, /needs the Manage Server permission/);
    await assert.rejects(stat(path.join(h.corpusDir, 'uploads/photo.png')));
  });
});

describe('/feeds and instant alerts', () => {
  let subscription: string;

  it('adds a feed, polls it at once, and lists it with last success and next poll', async () => {
    server.route(
      '/ferry.xml',
      serve(
        rss('Harbour News', [
          {
            title: 'Ferry timetable changes for winter',
            link: server.url('/ferry/1'),
            guid: 'ferry-1',
            pubDate: 'Fri, 20 Nov 2026 08:00:00 GMT',
            full: paragraphs('Ferry timetable'),
          },
        ]),
        'application/rss+xml',
      ),
    );
    const denied = await h.discord
      .sendCommand({ name: 'feeds', options: [{ name: 'list', type: 1 }], memberPermissions: '0' })
      .waitForFinalReply();
    assert.match(denied.content, /needs the Manage Server permission/);
    const reply = await h.discord
      .sendCommand({
        name: 'feeds',
        options: [
          {
            name: 'add',
            type: 1,
            options: [
              str('url', server.url('/ferry.xml')),
              str('outlet', 'Harbour News'),
              int('interval', 10),
            ] as never[],
          },
        ],
        memberPermissions: MANAGER,
      })
      .waitForFinalReply();
    assert.match(
      reply.content,
      /Added the feed \*\*Harbour News\*\* .* polled every 10 min\. First poll: 1 new article added\./,
    );
    assert.ok(h.bot.ctx.search.articles.some((a) => a.title === 'Ferry timetable changes for winter'));
    const list = await h.discord
      .sendCommand({ name: 'feeds', options: [{ name: 'list', type: 1 }], memberPermissions: MANAGER })
      .waitForFinalReply();
    const field = (list.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields[0];
    assert.equal(field?.name, 'Harbour News · every 10 min');
    assert.match(field?.value ?? '', /Last success: <t:\d+:R> · next poll: <t:\d+:R>\nNo errors/);
    const feedsFile = JSON.parse(await readFile(h.config.feeds.feedsFile, 'utf8'));
    assert.deepEqual(feedsFile, {
      feeds: [{ url: server.url('/ferry.xml'), outlet: 'Harbour News', intervalMinutes: 10 }],
    });
  });

  it('shows each feed in /status, with the last error of a failing one', async () => {
    await h.bot.ctx.living?.feedList.add({ url: server.url('/missing.xml'), outlet: 'Missing Gazette' });
    await h.bot.ctx.living?.poller.pollDue();
    const reply = await h.discord.sendCommand({ name: 'status' }).waitForFinalReply();
    const fields = (reply.embeds[0] as { fields: Array<{ name: string; value: string }> }).fields;
    const feeds = fields.find((f) => f.name.startsWith('Feeds'));
    assert.equal(feeds?.name, 'Feeds (2, 1 failing)');
    assert.match(feeds?.value ?? '', /✅ \*\*Harbour News\*\*: last success <t:\d+:R> · next poll <t:\d+:R>/);
    assert.match(
      feeds?.value ?? '',
      /⚠️ \*\*Missing Gazette\*\*: last success never · last error <t:\d+:R>: HTTP 404 Not Found · next poll <t:\d+:R>/,
    );
    await h.bot.ctx.living?.feedList.remove(server.url('/missing.xml'));
  });

  it('posts a new matching article to an instant subscription once, grouped and rate-limited per channel', async () => {
    const sub = await h.discord
      .sendCommand({
        name: 'digest',
        options: [
          {
            name: 'subscribe',
            type: 1,
            options: [str('schedule', 'instant'), str('topic', 'ferry timetable')] as never[],
          },
        ],
        memberPermissions: MANAGER,
      })
      .waitForFinalReply();
    assert.match(sub.content, /instant .* posted as soon as it is in the archive/s);
    subscription = /`(d[0-9a-f]{8})`/.exec(sub.content)?.[1] ?? '';
    assert.ok(subscription);
    const living = h.bot.ctx.living;
    assert.ok(living);
    // The schedule loop leaves instant subscriptions alone: they run after ingests.
    h.advance(24 * 3_600_000);
    assert.deepEqual(
      (await h.bot.ctx.digests.scheduler.runDue()).filter((o) => o.id === subscription),
      [],
    );
    h.advance(60_000);
    const items = [
      {
        title: 'Ferry timetable changes for winter',
        link: server.url('/ferry/1'),
        guid: 'ferry-1',
        pubDate: 'Fri, 20 Nov 2026 08:00:00 GMT',
        full: paragraphs('Ferry timetable'),
      },
      {
        title: 'Extra ferry sailings at Christmas',
        link: server.url('/ferry/2'),
        guid: 'ferry-2',
        pubDate: 'Fri, 20 Nov 2026 09:00:00 GMT',
        full: paragraphs('Ferry timetable Christmas'),
      },
      {
        title: 'Choir wins regional prize',
        link: server.url('/ferry/3'),
        guid: 'ferry-3',
        pubDate: 'Fri, 20 Nov 2026 09:30:00 GMT',
        full: paragraphs('Choir singing competition'),
      },
    ];
    server.route('/ferry.xml', serve(rss('Harbour News', items), 'application/rss+xml'));
    h.advance(11 * 60_000);
    const before = channelPosts().length;
    await living.poller.pollDue();
    const posts = channelPosts().slice(before);
    assert.equal(posts.length, 1);
    const titles = ((posts[0]?.embeds ?? []) as Array<{ title: string }>).map((e) => e.title);
    assert.deepEqual(titles, ['Extra ferry sailings at Christmas']);
    assert.deepEqual(posts[0]?.allowedMentions, { parse: [] });

    // Nothing new: nothing posted again, however often ingests run.
    await living.ingestCorpus();
    await living.instant.run();
    assert.equal(channelPosts().length, before + 1);

    // Two more within the minute: held back, then posted together once the minute is over.
    server.route(
      '/ferry.xml',
      serve(
        rss('Harbour News', [
          ...items,
          {
            title: 'Ferry fares frozen',
            link: server.url('/ferry/4'),
            guid: 'ferry-4',
            pubDate: 'Fri, 20 Nov 2026 10:00:00 GMT',
            full: [
              "Ferry fares will stay at this year's level until March, the harbour board said, after a review of the winter timetable and of fuel costs.",
              'Season tickets for islanders are frozen too. The board expects passenger numbers to rise once the new timetable starts, and it will publish the figures every quarter.',
              'Campaigners who had asked for lower fares welcomed the freeze but said the timetable still leaves early commuters without a crossing before seven.',
              'The operator said the freeze costs it about two hundred thousand pounds, which the county council has agreed to cover from its transport budget for the year.',
            ],
          },
          {
            title: 'Night ferry timetable returns',
            link: server.url('/ferry/5'),
            guid: 'ferry-5',
            pubDate: 'Fri, 20 Nov 2026 10:05:00 GMT',
            full: [
              'A night ferry returns to the timetable from December, leaving the mainland at half past eleven on Fridays and Saturdays for the rest of the winter.',
              'Hospital staff on late shifts had written to the operator asking for the crossing back. The last night sailing was cut two years ago when crew numbers fell.',
              'Publicans on the island said the late ferry would bring visitors back for evening events, and the music festival has moved its closing concert to a Friday.',
              'The operator will review the night timetable in April, when it sets the summer schedule and decides how many crews it can staff through the year.',
            ],
          },
        ]),
        'application/rss+xml',
      ),
    );
    h.advance(20_000);
    await living.poller.pollOne(server.url('/ferry.xml'));
    assert.equal(channelPosts().length, before + 1);
    const outcome = await living.instant.run();
    assert.equal(outcome[0]?.status, 'rate-limited');
    h.advance(60_000);
    await living.instant.run();
    const grouped = channelPosts().slice(before + 1);
    assert.equal(grouped.length, 1);
    assert.deepEqual(((grouped[0]?.embeds ?? []) as Array<{ title: string }>).map((e) => e.title).sort(), [
      'Ferry fares frozen',
      'Night ferry timetable returns',
    ]);
    await living.instant.run();
    assert.equal(channelPosts().length, before + 2);

    // A refused post is not lost: the claim is released and the next run posts it.
    server.route(
      '/ferry.xml',
      serve(
        rss('Harbour News', [
          {
            title: 'Ferry timetable strike called off',
            link: server.url('/ferry/6'),
            guid: 'ferry-6',
            pubDate: 'Fri, 20 Nov 2026 11:00:00 GMT',
            full: paragraphs('Ferry timetable strike'),
          },
        ]),
        'application/rss+xml',
      ),
    );
    h.advance(61_000);
    h.discord.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, times: 4 }); // discord.js tries a post 4 times
    await living.poller.pollOne(server.url('/ferry.xml'));
    assert.equal(channelPosts().length, before + 2);
    assert.equal(h.bot.ctx.digests.store.get(subscription)?.lastRun?.status, 'failed');
    await living.instant.run();
    const retried = channelPosts().slice(before + 2);
    assert.deepEqual(
      retried.flatMap((m) => ((m.embeds ?? []) as Array<{ title: string }>).map((e) => e.title)),
      ['Ferry timetable strike called off'],
    );
    assert.equal(h.bot.ctx.digests.store.get(subscription)?.lastRun?.status, 'posted');
  });
});
