import type { APIEmbed, AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { DigestScheduler } from '../digest/scheduler.js';
import { describeTarget, type Subscription } from '../digest/subscription.js';
import { describeScope } from '../search/scope.js';
import type { BotContext } from './context.js';
import { formatInZone } from './digest-format.js';
import { LIMITS, truncateWords } from './limits.js';
import { plain } from './markdown.js';

/** Subscriptions a person may see and manage here: this server's, and their own DM digests. */
export function visible(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction,
  ctx: BotContext,
): Subscription[] {
  return ctx.digests.store
    .all()
    .filter((s) =>
      s.target.kind === 'dm'
        ? s.target.userId === interaction.user.id
        : interaction.guildId !== null && s.guildId === interaction.guildId,
    );
}

/** /digest list: one field per subscription with its target, schedule, next run and last result. */
export function subscriptionsEmbed(subscriptions: Subscription[], scheduler: DigestScheduler): APIEmbed {
  const shown = subscriptions.slice(0, LIMITS.embedFields);
  return {
    title: `Digests (${subscriptions.length})`,
    color: 0x7a5c2e,
    fields: shown.map((s) => {
      const [next] = scheduler.upcoming(s, 1);
      const lines = [
        `To ${describeTarget(s.target)}${s.topic ? ` · topic “${plain(s.topic)}”` : ''}${s.outlet ? ` · ${plain(s.outlet)}` : ''}${s.scope ? ` · ${plain(describeScope(s.scope))}` : ''}${s.fromAnswer ? ' · 🔔 alert' : ''} · up to ${s.maxItems}`,
        s.paused
          ? `**Paused** since ${formatInZone(s.paused.at, s.timeZone)}: ${plain(s.paused.reason)}`
          : `Next: ${next ? formatInZone(next, s.timeZone) : 'none'}`,
        `Last: ${describeLastRun(s)}`,
      ];
      return {
        name: truncateWords(`${s.id} · ${s.schedule.text} · ${s.timeZone}`, LIMITS.fieldName),
        value: truncateWords(lines.join('\n'), LIMITS.fieldValue),
      };
    }),
    footer:
      subscriptions.length > shown.length
        ? { text: `${subscriptions.length - shown.length} more not shown` }
        : undefined,
  };
}

function describeLastRun(s: Subscription): string {
  const run = s.lastRun;
  if (!run) return 'not run yet';
  const when = formatInZone(run.at, s.timeZone);
  if (run.status === 'posted') return `${when}: posted ${run.items} stor${run.items === 1 ? 'y' : 'ies'}`;
  if (run.status === 'empty') return `${when}: nothing new`;
  if (run.status === 'running') return `${when}: interrupted (not repeated)`;
  return `${when}: **failed**: ${plain(run.error ?? 'unknown')} (${s.consecutiveFailures} in a row)`;
}

/** Time-zone autocomplete: IANA names containing what was typed (the default first when nothing was). */
export function timeZoneChoices(typed: string, fallback: string) {
  const zones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  const matches = typed
    ? zones.filter((z) => z.toLowerCase().includes(typed))
    : [fallback, ...zones.filter((z) => z !== fallback)];
  return matches.slice(0, LIMITS.autocompleteChoices).map((z) => ({ name: z, value: z }));
}
