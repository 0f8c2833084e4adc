/**
 * IPTC news documents as newsroom systems export them, shaped after the IPTC specifications' own examples:
 * NITF 3.6, NewsML-G2 2.x (`newsItem`, `newsMessage`) and ninjs 1.x / 2.x.
 */

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface StoryFields {
  id: string;
  headline: string;
  /** ISO date-time. */
  date: string;
  outlet: string;
  author: string;
  paragraphs: string[];
  url?: string;
}

/** A NITF 3.6 document, with a DOCTYPE naming the external DTD as NITF files carry it. */
export function nitf(
  story: StoryFields,
  { copyrightHolder = story.outlet, withPubdata = true } = {},
): string {
  const norm = story.date.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">
<nitf version="-//IPTC//DTD NITF 3.6//EN" change.date="October 18, 2006" change.time="19:30">
  <head>
    <title>${escapeXml(story.headline)}</title>
    <docdata>
      <doc-id id-string="${escapeXml(story.id)}"/>
      <date.issue norm="${norm}"/>
      <doc.copyright year="${story.date.slice(0, 4)}" holder="${escapeXml(copyrightHolder)}"/>
    </docdata>
    ${withPubdata ? `<pubdata type="web" name="${escapeXml(story.outlet)}" date.publication="${norm}"${story.url ? ` ex-ref="${escapeXml(story.url)}"` : ''}/>` : ''}
  </head>
  <body>
    <body.head>
      <hedline>
        <hl1>${escapeXml(story.headline)}</hl1>
        <hl2>A sub-headline that is not the title</hl2>
      </hedline>
      <byline>By <person>${escapeXml(story.author)}</person>, <byttl>Staff Writer</byttl></byline>
      <dateline><location><city>Port Ellen</city></location>, <story.date norm="${norm}">${story.date.slice(0, 10)}</story.date></dateline>
    </body.head>
    <body.content>
${story.paragraphs.map((p) => `      <p>${escapeXml(p)}</p>`).join('\n')}
      <media media-type="image"><media-reference source="harbour.jpg" mime-type="image/jpeg"/><media-caption>The harbour at dawn.</media-caption></media>
    </body.content>
    <body.end><tagline>Copyright the outlet.</tagline></body.end>
  </body>
</nitf>
`;
}

/** A NewsML-G2 newsItem element (text), its content as inline XHTML. */
export function newsItem(story: StoryFields, { asNitf = false } = {}): string {
  const content = asNitf
    ? `<inlineXML contenttype="application/nitf+xml">${nitf(story).replace(/^<\?xml[^>]*>\s*<!DOCTYPE[^>]*>/, '')}</inlineXML>`
    : `<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${escapeXml(story.headline)}</title></head><body>${story.paragraphs
        .map((p) => `<p>${escapeXml(p)}</p>`)
        .join('')}</body></html></inlineXML>`;
  return `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="${escapeXml(story.url ?? story.id)}" version="1" standard="NewsML-G2" standardversion="2.29" conformance="power" xml:lang="en">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"/>
  <rightsInfo><copyrightHolder uri="http://example.org/"><name>${escapeXml(story.outlet)} Rights</name></copyrightHolder></rightsInfo>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:WIRE"/>
    <versionCreated>${story.date}</versionCreated>
    <firstCreated>${story.date}</firstCreated>
    <pubStatus qcode="stat:usable"/>
  </itemMeta>
  <contentMeta>
    <contentCreated>${story.date}</contentCreated>
    <infoSource role="cpnat:publisher"><name>${escapeXml(story.outlet)}</name></infoSource>
    <creator><name>${escapeXml(story.author)}</name></creator>
    <language tag="en"/>
    <slugline>harbour-slug</slugline>
    <headline>${escapeXml(story.headline)}</headline>
  </contentMeta>
  <contentSet>
    ${content}
  </contentSet>
</newsItem>`;
}

export function newsMlItemFile(story: StoryFields): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${newsItem(story)}\n`;
}

/** A NewsML-G2 newsMessage carrying several items (and a picture item, which is not text). */
export function newsMessage(stories: StoryFields[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
  <header><sent>2024-03-15T12:00:00Z</sent><sender>wire.example</sender></header>
  <itemSet>
${stories.map((s) => newsItem(s)).join('\n')}
    <newsItem guid="urn:newsml:example:picture:1" version="1" standard="NewsML-G2" standardversion="2.29">
      <itemMeta><itemClass qcode="ninat:picture"/><provider qcode="nprov:WIRE"/><versionCreated>2024-03-15T12:00:00Z</versionCreated></itemMeta>
      <contentMeta><headline>A photo</headline></contentMeta>
      <contentSet><remoteContent href="photo.jpg" contenttype="image/jpeg"/></contentSet>
    </newsItem>
  </itemSet>
</newsMessage>
`;
}

/** A ninjs 1.x item (`headline`, `body_html`, `firstcreated`, `copyrightholder`, `by`). */
export function ninjs1(story: StoryFields): Record<string, unknown> {
  return {
    uri: story.url ?? `urn:example:${story.id}`,
    type: 'text',
    version: '1',
    firstcreated: story.date,
    versioncreated: story.date,
    headline: story.headline,
    by: `By ${story.author}`,
    copyrightholder: story.outlet,
    language: 'en',
    body_html: story.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n'),
  };
}

/** A ninjs 2.x item (`headlines`, `bodies`, `infosources`). */
export function ninjs2(story: StoryFields): Record<string, unknown> {
  return {
    $schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json',
    uri: story.url ?? `urn:example:${story.id}`,
    type: 'text',
    contentcreated: story.date,
    versioncreated: story.date,
    headlines: [
      { role: 'short', value: 'Short one' },
      { role: 'main', value: story.headline },
    ],
    by: story.author,
    copyrightholder: story.outlet,
    bodies: [
      {
        role: 'main',
        contenttype: 'text/html',
        value: story.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join(''),
      },
      { role: 'main', contenttype: 'text/plain', value: story.paragraphs.join('\n\n') },
    ],
  };
}
