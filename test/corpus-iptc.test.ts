import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleDraft } from '../src/corpus/article.js';
import { parseCorpusBytes } from '../src/corpus/parse-bytes.js';
import {
  newsItem,
  newsMessage,
  newsMlItemFile,
  ninjs1,
  ninjs2,
  nitf,
  type StoryFields,
} from './helpers/iptc-fixtures.js';

const story: StoryFields = {
  id: 'harbour-2024-0315',
  headline: 'Harbour dredging finds a Viking anchor',
  date: '2024-03-15T09:30:00Z',
  outlet: 'Island Herald',
  author: 'Mairi Campbell',
  paragraphs: [
    'Divers working on the harbour dredging found an iron anchor on Thursday.',
    'Archaeologists date it to the ninth century & say it is the oldest find in the bay.',
  ],
  url: 'https://herald.example/2024/03/anchor',
};
const other: StoryFields = {
  ...story,
  id: 'ferry-2024-0316',
  headline: 'Ferry fares frozen for a year',
  date: '2024-03-16T08:00:00Z',
  paragraphs: ['The island council froze ferry fares until next spring.'],
  url: 'https://herald.example/2024/03/fares',
};
const body = (s: StoryFields) => s.paragraphs.join('\n');

async function read(text: string, source: string) {
  return parseCorpusBytes(Buffer.from(text, 'utf8'), source);
}

function metadata(article: ArticleDraft | undefined) {
  return (
    article && { title: article.title, date: article.date, outlet: article.outlet, author: article.author }
  );
}

describe('NITF', () => {
  it('reads hedline, date.issue, pubdata (before doc.copyright), byline and body.content', async () => {
    const { articles, skipped } = await read(
      nitf(story, { copyrightHolder: 'Wire Service' }),
      'wire/anchor.nitf',
    );
    assert.deepEqual(skipped, []);
    assert.deepEqual(articles, [
      {
        source: 'wire/anchor.nitf',
        title: story.headline,
        date: '2024-03-15',
        outlet: 'Island Herald',
        url: story.url,
        author: 'Mairi Campbell',
        body: `${body(story)}\nThe harbour at dawn.`,
      },
    ]);
  });

  it('is recognised by content in a .xml file, the outlet from doc.copyright when there is no pubdata', async () => {
    const { articles } = await read(
      nitf(story, { withPubdata: false, copyrightHolder: 'Wire Service' }),
      'export/0001.xml',
    );
    assert.deepEqual(metadata(articles[0]), {
      title: story.headline,
      date: '2024-03-15',
      outlet: 'Wire Service',
      author: 'Mairi Campbell',
    });
  });

  it('reads the HTML entities NITF defines, and refuses entities a file declares itself', async () => {
    const withEntities = nitf(story).replace('Thursday.', 'Thursday&nbsp;&mdash; early.');
    assert.match((await read(withEntities, 'a.xml')).articles[0]?.body ?? '', /Thursday — early\./);
    const bomb = nitf(story).replace(
      '<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">',
      '<!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    );
    const refused = await read(bomb, 'bomb.xml');
    assert.deepEqual(refused.articles, []);
    assert.match(refused.skipped[0]?.reason ?? '', /declares its own entities/);
  });
});

describe('NewsML-G2', () => {
  it('reads a newsItem: headline, contentCreated, infoSource, creator and inline XHTML', async () => {
    const { articles, skipped } = await read(newsMlItemFile(story), 'g2/anchor.xml');
    assert.deepEqual(skipped, []);
    assert.deepEqual(articles, [
      {
        source: 'g2/anchor.xml',
        title: story.headline,
        date: '2024-03-15',
        outlet: 'Island Herald',
        url: story.url,
        author: 'Mairi Campbell',
        body: body(story),
      },
    ]);
  });

  it('reads a newsMessage as one article per text item, keyed by guid, and names the items it leaves out', async () => {
    const { articles, skipped } = await read(newsMessage([story, other]), 'g2/message.xml');
    assert.deepEqual(
      articles.map((a) => [a.source, a.title, a.body]),
      [
        [`g2/message.xml#${story.url}`, story.headline, body(story)],
        [`g2/message.xml#${other.url}`, other.headline, body(other)],
      ],
    );
    assert.deepEqual(skipped, [
      {
        source: 'g2/message.xml#urn:newsml:example:picture:1',
        reason: 'item 3: a ninat:picture item, not text',
      },
    ]);
  });

  it('reads NITF carried inside a newsItem, and falls back to the provider for the outlet', async () => {
    const item = newsItem(story, { asNitf: true }).replace(/<infoSource[\s\S]*?<\/infoSource>/, '');
    const { articles } = await read(`<?xml version="1.0"?>${item}`, 'g2/nitf-inside.newsml');
    assert.equal(articles[0]?.body, `${body(story)}\nThe harbour at dawn.`);
    assert.equal(articles[0]?.outlet, 'WIRE');
  });

  it('names XML it does not read: a saved feed, or any other root', async () => {
    const feed = await read(
      '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
      'f.xml',
    );
    assert.match(feed.skipped[0]?.reason ?? '', /^an RSS or Atom feed, not an article/);
    const svg = await read('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>', 'pic.xml');
    assert.equal(svg.skipped[0]?.reason, 'XML that is neither NITF nor NewsML-G2 (its root is <svg>)');
    const broken = await read('<nitf><body>', 'broken.xml');
    assert.match(broken.skipped[0]?.reason ?? '', /^malformed XML/);
  });
});

describe('ninjs', () => {
  it('reads a ninjs 1.x object: headline, body_html, firstcreated, copyrightholder, by, uri', async () => {
    const { articles, skipped } = await read(JSON.stringify(ninjs1(story)), 'api/anchor.json');
    assert.deepEqual(skipped, []);
    assert.deepEqual(articles, [
      {
        source: 'api/anchor.json',
        title: story.headline,
        date: '2024-03-15',
        outlet: 'Island Herald',
        url: story.url,
        author: 'Mairi Campbell',
        body: story.paragraphs.join('\n\n'),
      },
    ]);
  });

  it('reads a ninjs 2.x array as several articles keyed by uri: main headline, plain-text body first', async () => {
    const picture = { uri: 'urn:example:pic', type: 'picture', headlines: [{ value: 'A photo' }] };
    const { articles, skipped } = await read(
      JSON.stringify([ninjs2(story), ninjs2(other), picture]),
      'api/batch.json',
    );
    assert.deepEqual(
      articles.map((a) => [a.source, a.title, a.date, a.outlet, a.author, a.body]),
      [
        [
          `api/batch.json#${story.url}`,
          story.headline,
          '2024-03-15',
          'Island Herald',
          'Mairi Campbell',
          story.paragraphs.join('\n\n'),
        ],
        [
          `api/batch.json#${other.url}`,
          other.headline,
          '2024-03-16',
          'Island Herald',
          'Mairi Campbell',
          body(other),
        ],
      ],
    );
    assert.deepEqual(skipped, [
      { source: 'api/batch.json#urn:example:pic', reason: 'record 3: a ninjs picture item, not text' },
    ]);
  });

  it('reads ninjs 1.0’s body_xhtml', async () => {
    const { body_html: html, ...rest } = ninjs1(story);
    const { articles } = await read(JSON.stringify({ ...rest, body_xhtml: html }), 'api/old.json');
    assert.equal(articles[0]?.body, story.paragraphs.join('\n\n'));
  });

  it('reads ninjs lines in a .jsonl file', async () => {
    const lines = `${JSON.stringify(ninjs1(story))}\n${JSON.stringify(ninjs1(other))}\n`;
    const { articles } = await read(lines, 'api/stream.jsonl');
    assert.deepEqual(
      articles.map((a) => a.title),
      [story.headline, other.headline],
    );
  });
});
