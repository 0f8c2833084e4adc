import { UserFacingError } from '../errors.js';

/** What a person can narrow a search to. Dates are ISO `YYYY-MM-DD`, inclusive. */
export interface SearchFilters {
  outlet?: string | null;
  since?: string | null;
  until?: string | null;
}

/** The article fields the filters look at. */
interface Filterable {
  outlet: string | null;
  date: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the filters a person typed and says what is wrong in words they can act on. */
export function validateFilters(filters: SearchFilters): void {
  for (const key of ['since', 'until'] as const) {
    const value = filters[key];
    if (value && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UserFacingError(
        `\`${key}\` must be a date written as YYYY-MM-DD, like 2024-08-28 (got "${value}").`,
      );
    }
  }
  if (filters.since && filters.until && filters.since > filters.until) {
    throw new UserFacingError(
      `\`since\` (${filters.since}) is after \`until\` (${filters.until}): nothing can match.`,
    );
  }
}

/** Outlet names match without regard to case or surrounding space. */
export function sameOutlet(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('en') === b.trim().toLocaleLowerCase('en');
}

/** True when an article passes the filters. Undated articles fail any date filter. */
export function matchesFilters(article: Filterable, filters: SearchFilters): boolean {
  if (filters.outlet && !(article.outlet && sameOutlet(article.outlet, filters.outlet))) return false;
  if (filters.since && !(article.date && article.date >= filters.since)) return false;
  if (filters.until && !(article.date && article.date <= filters.until)) return false;
  return true;
}

/** Dates as numbers (20240828) in vectra metadata, because vectra compares only numbers with $gte/$lte. */
export function dayNumber(date: string | null): number {
  return date ? Number(date.replaceAll('-', '')) : 0;
}
