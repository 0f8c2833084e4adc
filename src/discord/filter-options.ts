import { type APIApplicationCommandOption, ApplicationCommandOptionType } from 'discord.js';
import type { SearchFilters } from '../search/filters.js';

/** The outlet and date options /ask and /quotes share (the outlet autocompletes from the archive). */
export const FILTER_OPTIONS: APIApplicationCommandOption[] = [
  {
    type: ApplicationCommandOptionType.String,
    name: 'outlet',
    description: 'Only articles from this outlet',
    autocomplete: true,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'since',
    description: 'Only articles dated on or after (YYYY-MM-DD)',
    max_length: 10,
  },
  {
    type: ApplicationCommandOptionType.String,
    name: 'until',
    description: 'Only articles dated on or before (YYYY-MM-DD)',
    max_length: 10,
  },
];

/** The filters as typed in those options. */
export function filtersOf(options: { getString(name: string): string | null }): SearchFilters {
  return {
    outlet: options.getString('outlet'),
    since: options.getString('since'),
    until: options.getString('until'),
  };
}
