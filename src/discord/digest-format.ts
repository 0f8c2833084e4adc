import type { APIEmbed } from 'discord.js';
import type { Digest, DigestArticle } from '../digest/build.js';
import type { Subscription } from '../digest/subscription.js';
import { formatDate, NO_MENTIONS } from './answer-format.js';
import { embedLength, LIMITS, truncateWords } from './limits.js';
import { plain } from './markdown.js';
import { fitQuote } from './quote-fit.js';

export interface DigestMessage {
  content: string;
  embeds: APIEmbed[];
  allowedMentions: typeof NO_MENTIONS;
}

/** Room kept free in each message's 6,000 embed characters. */
const MARGIN = 100;
/** Most of a description goes to the sentence; the rest to "also in". */
const ALSO_IN_CHARS = 400;

/**
 * A digest as Discord messages: a heading, then one embed per story (title linked, outlet and date, one
 * verbatim sentence, "also in" the other outlets), packed into as many messages as Discord's limits need:
 * ten embeds and 6,000 embed characters per message. A sentence is never cut to make room.
 */
export function renderDigest(
  subscription: Subscription,
  digest: Digest,
  options: { preview?: boolean } = {},
): DigestMessage[] {
  const since = formatInZone(digest.since, subscription.timeZone);
  const scope = [
    subscription.topic ? `topic “${plain(subscription.topic)}”` : null,
    subscription.outlet ? `outlet ${plain(subscription.outlet)}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const previewNote = options.preview ? '*Preview: not posted, and the next digest is unchanged.*\n' : '';
  if (digest.entries.length === 0) {
    return [
      {
        content: truncateWords(
          `${previewNote}**Clipdesk digest**${scope ? ` (${scope})` : ''}: nothing new in the archive since ${since}.`,
          LIMITS.content,
        ),
        embeds: [],
        allowedMentions: NO_MENTIONS,
      },
    ];
  }
  const count = digest.entries.length;
  const heading = [
    `${previewNote}**Clipdesk digest**${scope ? ` (${scope})` : ''}: ${count} new stor${count === 1 ? 'y' : 'ies'} since ${since}.`,
    digest.more > 0
      ? `Showing ${count}; ${digest.more} more did not fit this subscription's maximum of ${subscription.maxItems}.`
      : null,
    digest.unsorted
      ? `${digest.unsorted} more new articles arrived than a digest sorts into stories; \`/sources\` lists them.`
      : null,
    digest.older
      ? `${digest.older} older article${digest.older === 1 ? '' : 's'} added to the archive (published before the digest's look-back) ${digest.older === 1 ? 'is' : 'are'} not listed.`
      : null,
  ]
    .filter(Boolean)
    .join('\n');

  const embeds = digest.entries.map((entry): APIEmbed => {
    const alsoIn = entry.alsoIn.length
      ? `\n**Also in:** ${truncateWords(entry.alsoIn.map(alsoInLabel).join(', '), ALSO_IN_CHARS)}`
      : '';
    return {
      title: truncateWords(plain(entry.title), LIMITS.embedTitle),
      url: entry.url ?? undefined,
      author: { name: truncateWords(plain(sourceLine(entry)), LIMITS.authorName) },
      // One sentence, whole: the budget of one embed in an otherwise empty message is far above any lead.
      description: `${fitQuote(entry.sentence, LIMITS.embedDescription - alsoIn.length - 10).text}${alsoIn}`,
      color: 0x7a5c2e,
    };
  });

  const messages: DigestMessage[] = [];
  let current: DigestMessage = {
    content: truncateWords(heading, LIMITS.content),
    embeds: [],
    allowedMentions: NO_MENTIONS,
  };
  let used = 0;
  for (const embed of embeds) {
    const size = embedLength(embed);
    if (
      current.embeds.length === LIMITS.embeds ||
      (current.embeds.length > 0 && used + size > LIMITS.embedTotal - MARGIN)
    ) {
      messages.push(current);
      current = { content: '', embeds: [], allowedMentions: NO_MENTIONS };
      used = 0;
    }
    current.embeds.push(embed);
    used += size;
  }
  messages.push(current);
  if (messages.length > 1) {
    messages.forEach((m, i) => {
      if (i > 0) m.content = `*Digest continued (${i + 1}/${messages.length})*`;
    });
  }
  return messages;
}

function sourceLine(a: DigestArticle): string {
  return [a.outlet ?? 'Outlet not recorded', a.date ? formatDate(a.date) : 'undated'].join(' · ');
}

function alsoInLabel(a: DigestArticle): string {
  const name = plain(a.outlet ?? a.title);
  return a.url
    ? `[${name.replace(/[[\]]/g, '')}](${a.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`
    : name;
}

/** `21 Nov 2026, 09:00 (Europe/Paris)`. */
export function formatInZone(iso: string | Date, timeZone: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const text = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
  return `${text} (${timeZone})`;
}
