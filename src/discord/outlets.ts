import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import { sha256 } from '../util/hash.js';
import { LIMITS, truncateWords } from './limits.js';

/** Outlets of the archive with their article counts, most articles first. */
export function outletCounts(
  articles: ReadonlyArray<{ outlet: string | null }>,
): Array<{ outlet: string; articles: number }> {
  const counts = new Map<string, number>();
  for (const { outlet } of articles) if (outlet) counts.set(outlet, (counts.get(outlet) ?? 0) + 1);
  return [...counts]
    .map(([outlet, n]) => ({ outlet, articles: n }))
    .sort((a, b) => b.articles - a.articles || a.outlet.localeCompare(b.outlet));
}

/** Autocomplete choices for an outlet option: matches of what was typed, at most 25. */
export function outletChoices(
  articles: ReadonlyArray<{ outlet: string | null }>,
  typed: string,
): ApplicationCommandOptionChoiceData<string>[] {
  const needle = typed.trim().toLocaleLowerCase('en');
  return outletCounts(articles)
    .filter(
      ({ outlet }) => outlet.length <= LIMITS.choiceValue && outlet.toLocaleLowerCase('en').includes(needle),
    )
    .slice(0, LIMITS.autocompleteChoices)
    .map(({ outlet, articles: n }) => ({
      name: truncateWords(`${outlet} (${n} article${n === 1 ? '' : 's'})`, LIMITS.choiceName),
      value: outlet,
    }));
}

/** An outlet inside a custom id: as written when short, else a short hash (custom ids hold 100 characters). */
export function outletKey(outlet: string): string {
  return outlet.length <= 60 ? outlet : `#${sha256(outlet, 16)}`;
}
