/** Feeds and pages for the feed tests, built around the local server's base url. */

export const paragraphs = (topic: string, n = 4) =>
  Array.from(
    { length: n },
    (_, i) =>
      `${topic} paragraph ${i + 1}: the council met on Tuesday to discuss the ${topic.toLowerCase()} plan, and residents spoke at length about costs, timing and the effect on local schools and shops.`,
  );

export const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface RssItem {
  title: string;
  link?: string;
  guid?: string;
  pubDate?: string;
  /** Full text in content:encoded. */
  full?: string[];
  description?: string;
  creator?: string;
}

export function rss(title: string, items: RssItem[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${html(title)}</title><link>https://example.test/</link><description>d</description>
${items
  .map(
    (i) =>
      `<item><title>${html(i.title)}</title>${i.link ? `<link>${i.link}</link>` : ''}${
        i.guid ? `<guid isPermaLink="false">${i.guid}</guid>` : ''
      }${i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''}${i.creator ? `<dc:creator>${html(i.creator)}</dc:creator>` : ''}${
        i.description ? `<description>${html(i.description)}</description>` : ''
      }${i.full ? `<content:encoded><![CDATA[${i.full.map((p) => `<p>${p}</p>`).join('\n')}]]></content:encoded>` : ''}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export function atom(
  title: string,
  entries: Array<{
    title: string;
    link: string;
    id: string;
    updated: string;
    summary?: string;
    author?: string;
  }>,
): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>${html(title)}</title><id>urn:test</id><updated>2026-11-20T08:00:00Z</updated>
${entries
  .map(
    (e) =>
      `<entry><title type="text">${html(e.title)}</title><link rel="alternate" type="text/html" href="${e.link}"/><id>${e.id}</id><updated>${e.updated}</updated>${
        e.author ? `<author><name>${html(e.author)}</name></author>` : ''
      }${e.summary ? `<summary>${html(e.summary)}</summary>` : ''}</entry>`,
  )
  .join('\n')}
</feed>`;
}

export function jsonFeed(title: string, items: Array<Record<string, unknown>>): string {
  return JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title, items });
}

/** An article page with meta tags, JSON-LD, navigation clutter and a script that must never run. */
export function articlePage(options: {
  title: string;
  body: string[];
  canonical?: string;
  siteName?: string;
  published?: string;
  author?: string;
}): string {
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: options.title,
    datePublished: options.published,
    author: options.author ? [{ '@type': 'Person', name: options.author }] : undefined,
    publisher: { '@type': 'Organization', name: options.siteName },
  };
  return `<!doctype html><html><head><title>${html(options.title)} | ${html(options.siteName ?? 'Site')}</title>
${options.canonical ? `<link rel="canonical" href="${options.canonical}">` : ''}
${options.siteName ? `<meta property="og:site_name" content="${html(options.siteName)}">` : ''}
<script type="application/ld+json">${JSON.stringify(ld)}</script>
<script>globalThis.__pageScriptRan = true;</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>${html(options.title)}</h1>
${options.body.map((p) => `<p>${html(p)}</p>`).join('\n')}
<script>globalThis.__pageScriptRan = true;</script>
</article><footer>Copyright Example Media. All rights reserved.</footer></body></html>`;
}

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>`;

export const externalEntity = (target: string) => `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "${target}"> ]>
<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><link>https://example.test/x</link><description>&xxe;</description></item></channel></rss>`;
