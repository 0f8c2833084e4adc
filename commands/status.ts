import { formatDate, NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_AND_DMS } from '../src/discord/command-scope.js';
import type { BotContext, Command } from '../src/discord/context.js';
import { scopeHome } from '../src/discord/desk.js';
import { feedsStatusField, loadFeedStatuses } from '../src/discord/feeds-view.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { outletCounts } from '../src/discord/outlets.js';
import { PUBLIC_OPTION, privateUnlessPublic } from '../src/discord/visibility.js';
import { describeScope } from '../src/search/scope.js';
import { VECTRA_HANDOVER_PASSAGES } from '../src/search/search-service.js';

export default {
  data: {
    name: 'status',
    description: "The archive's size, model, last ingest and the bot's uptime",
    ...IN_SERVERS_AND_DMS,
    options: [PUBLIC_OPTION],
  },

  async execute(interaction, ctx) {
    const embed = statusEmbed(ctx);
    // Issue 10: each feed's last success, last error and next poll.
    if (ctx.living) embed.fields.push(feedsStatusField(await loadFeedStatuses(ctx.living).catch(() => [])));
    // Issue 18: the part of the archive this channel sees.
    if (interaction.inGuild()) {
      const home = await scopeHome(ctx, interaction.client, interaction.channelId);
      const scope = ctx.desk.scopes.scopeOf(home);
      embed.fields.push({
        name: 'Scope of this channel',
        value: truncateWords(
          scope ? `Only ${plain(describeScope(scope))} (\`/scope show\`)` : 'The whole archive',
          LIMITS.fieldValue,
        ),
        inline: false,
      });
    }
    await interaction.reply({
      embeds: [embed],
      allowedMentions: NO_MENTIONS,
      ...privateUnlessPublic(interaction),
    });
  },
} satisfies Command;

export function statusEmbed(ctx: BotContext) {
  const { manifest, articles } = ctx.search;
  const dates = articles
    .map((a) => a.date)
    .filter((d): d is string => d !== null)
    .sort();
  const outlets = outletCounts(articles);
  const last = manifest.lastIngest;
  const field = (name: string, value: string, inline = true) => ({
    name,
    value: truncateWords(value, LIMITS.fieldValue),
    inline,
  });
  return {
    title: 'Clipdesk status',
    color: 0x2f6f9f,
    fields: [
      field('Articles', String(articles.length)),
      field('Passages', String(manifest.counts.passages)),
      field(
        'Outlets',
        outlets.length
          ? `${outlets.length}: ${plain(
              outlets
                .slice(0, 8)
                .map((o) => `${o.outlet} (${o.articles})`)
                .join(', '),
            )}`
          : 'none recorded',
        false,
      ),
      field(
        'Dates',
        dates.length
          ? `${formatDate(dates[0] as string)} to ${formatDate(dates.at(-1) as string)}${dates.length < articles.length ? ` (${articles.length - dates.length} undated)` : ''}`
          : 'no dated articles',
        false,
      ),
      field(
        'Model',
        `${plain(manifest.model.name)} (${manifest.model.dtype}, ${manifest.model.dimension} dimensions)`,
        false,
      ),
      field(
        'Index',
        `${manifest.backend} · ${manifest.segments.length} segment${manifest.segments.length === 1 ? '' : 's'}${
          manifest.backend === 'vectra' && manifest.counts.passages > VECTRA_HANDOVER_PASSAGES
            ? ' · past the size vectra handles well: consider INDEX_BACKEND=lancedb'
            : ''
        }`,
        false,
      ),
      field(
        'Last ingest',
        `<t:${Math.floor(Date.parse(last.finishedAt) / 1000)}:R>: added ${last.added}, updated ${last.updated}, unchanged ${last.unchanged}, removed ${last.removed}, skipped ${last.skipped.length} (${last.seconds.toFixed(1)} s)`,
        false,
      ),
      field('Uptime', formatDuration(ctx.now().getTime() - ctx.startedAt.getTime())),
      field('Version', ctx.version),
    ],
  };
}

/**
 * `/status` and `/sources` answer only the person who asked unless they pass `public: true`: in a busy
 * channel everyone else would scroll past them. In a DM everything is private anyway.
 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts = [days ? `${days} d` : '', hours ? `${hours} h` : '', `${minutes % 60} min`].filter(Boolean);
  return parts.join(' ');
}
