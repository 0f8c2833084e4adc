import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { NO_MENTIONS } from '../src/discord/answer-format.js';
import { IN_SERVERS_ONLY } from '../src/discord/command-scope.js';
import type { Command } from '../src/discord/context.js';
import { LIMITS, truncateWords } from '../src/discord/limits.js';
import { plain } from '../src/discord/markdown.js';
import { requireManageServer } from '../src/discord/preconditions.js';
import type { IngestSummary } from '../src/store/manifest.js';

export default {
  data: {
    name: 'reindex',
    description: 'Read the corpus folder again and update the index (new, changed and removed articles)',
    // Only members who can manage the server see it, unless an admin grants it in Server Settings > Integrations.
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...IN_SERVERS_ONLY,
  },

  async execute(interaction, ctx, log) {
    requireManageServer(interaction, 'Reindexing the archive');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // Also the repair a damaged index asks for: every segment is read against its checksums.
    const { summary } = await ctx.reindex({ verifyIndex: true });
    log.info(
      { added: summary.added, updated: summary.updated, removed: summary.removed },
      'reindex from Discord',
    );
    await interaction.editReply({ content: describeIngest(summary), allowedMentions: NO_MENTIONS });
  },
} satisfies Command;

export function describeIngest(summary: IngestSummary): string {
  const lines = [
    `**Index updated** in ${summary.seconds.toFixed(1)} s: ${summary.articles} articles, ${summary.passages} passages.`,
    `Added ${summary.added} · updated ${summary.updated} · unchanged ${summary.unchanged} · removed ${summary.removed} · skipped ${summary.skipped.length}`,
  ];
  for (const r of summary.repaired ?? [])
    lines.push(`• repaired a damaged part of the index (${plain(r.problem)}): its articles were read again`);
  const shown = summary.skipped.slice(0, 10);
  for (const s of shown)
    lines.push(`• skipped \`${plain(s.source).replace(/`/g, "'")}\`: ${plain(s.reason)}`);
  if (summary.skipped.length > shown.length)
    lines.push(`…and ${summary.skipped.length - shown.length} more (see the bot's log).`);
  return truncateWords(lines.join('\n'), LIMITS.content);
}
