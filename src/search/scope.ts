import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { type SearchFilters, sameOutlet } from './filters.js';

/**
 * A part of the archive: some outlets, some folders of the corpus, a date range. An empty list means "any".
 * A channel's scope (/scope set) and an alert's reach are both written this way. Pure of Discord.
 */
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

export const archiveScopeSchema = z.object({
  outlets: z.array(z.string().min(1)).max(25).default([]),
  /** Corpus-relative folders, `/`-separated, without a leading or trailing slash. */
  folders: z.array(z.string().min(1)).max(25).default([]),
  since: isoDay.nullable().default(null),
  until: isoDay.nullable().default(null),
});

export type ArchiveScope = z.infer<typeof archiveScopeSchema>;

/** The article fields a scope looks at. */
interface Scoped {
  source: string;
  outlet: string | null;
  date: string | null;
}

export function isEmptyScope(scope: ArchiveScope | null | undefined): boolean {
  return !scope || (scope.outlets.length === 0 && scope.folders.length === 0 && !scope.since && !scope.until);
}

/** Whether an article lies in the scope. An undated article fails a date bound, as with /ask's filters. */
export function inScope(article: Scoped, scope: ArchiveScope): boolean {
  if (scope.outlets.length > 0 && !scope.outlets.some((o) => article.outlet && sameOutlet(o, article.outlet)))
    return false;
  if (scope.folders.length > 0 && !scope.folders.some((f) => article.source.startsWith(`${f}/`)))
    return false;
  if (scope.since && !(article.date && article.date >= scope.since)) return false;
  if (scope.until && !(article.date && article.date <= scope.until)) return false;
  return true;
}

/** The ids of the articles within the scope. */
export function articlesInScope(
  articles: ReadonlyArray<Scoped & { id: string }>,
  scope: ArchiveScope,
): Set<string> {
  const ids = new Set<string>();
  for (const a of articles) if (inScope(a, scope)) ids.add(a.id);
  return ids;
}

/**
 * A folder as typed (`sports`, `/sports/`, `sports\\cycling`) in the form sources use, or an error for a
 * path that leaves the corpus folder.
 */
export function normalizeFolder(typed: string): string {
  const parts = typed
    .trim()
    .replaceAll('\\', '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..'))
    throw new UserFacingError(
      `"${typed}" is not a folder of the archive: give a path under the corpus folder, like \`sports\` or \`uploads\`.`,
    );
  return parts.join('/');
}

/** Every folder holding an article (and every folder above it), sorted. */
export function corpusFolders(articles: ReadonlyArray<{ source: string }>): string[] {
  const folders = new Set<string>();
  for (const { source } of articles) {
    const parts = source.split('#')[0]?.split('/') ?? [];
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders].sort();
}

/**
 * The asker's filters within a scope: they may narrow it (an outlet of the scope, dates inside its range)
 * but never widen it. A filter that would reach outside is refused with a sentence saying what the
 * channel sees; a missing one is filled from the scope's bounds.
 */
export function narrowWithin(filters: SearchFilters, scope: ArchiveScope | null): SearchFilters {
  if (!scope) return filters;
  const where = describeScope(scope);
  if (
    filters.outlet &&
    scope.outlets.length > 0 &&
    !scope.outlets.some((o) => sameOutlet(o, filters.outlet as string))
  )
    throw new UserFacingError(
      `This channel sees only ${where}: outlet ${filters.outlet} is outside it. A filter can narrow the channel's scope, not widen it.`,
    );
  if (filters.since && scope.until && filters.since > scope.until)
    throw new UserFacingError(
      `This channel sees only ${where}: since ${filters.since} is outside it. A filter can narrow the channel's scope, not widen it.`,
    );
  if (filters.until && scope.since && filters.until < scope.since)
    throw new UserFacingError(
      `This channel sees only ${where}: until ${filters.until} is outside it. A filter can narrow the channel's scope, not widen it.`,
    );
  if (filters.since && scope.since && filters.since < scope.since)
    throw new UserFacingError(
      `This channel sees only ${where}: since ${filters.since} would widen it. A filter can narrow the channel's scope, not widen it.`,
    );
  if (filters.until && scope.until && filters.until > scope.until)
    throw new UserFacingError(
      `This channel sees only ${where}: until ${filters.until} would widen it. A filter can narrow the channel's scope, not widen it.`,
    );
  return {
    outlet: filters.outlet ?? null,
    since: filters.since ?? scope.since ?? null,
    until: filters.until ?? scope.until ?? null,
  };
}

/** The narrower of two scopes (an alert made in a scoped channel keeps the channel's bounds). */
export function intersectScopes(a: ArchiveScope | null, b: ArchiveScope | null): ArchiveScope | null {
  if (!a) return b;
  if (!b) return a;
  const both = (x: string[], y: string[], meet: (p: string, q: string) => string | null) => {
    if (x.length === 0) return y;
    if (y.length === 0) return x;
    const kept = [
      ...new Set(x.flatMap((p) => y.map((q) => meet(p, q)).filter((m): m is string => m !== null))),
    ];
    if (kept.length === 0)
      throw new UserFacingError('Those bounds leave nothing of the archive: nothing could match.');
    return kept;
  };
  const maxDay = (x: string | null, y: string | null) => (!x ? y : !y ? x : x > y ? x : y);
  const minDay = (x: string | null, y: string | null) => (!x ? y : !y ? x : x < y ? x : y);
  return {
    outlets: both(a.outlets, b.outlets, (p, q) => (sameOutlet(p, q) ? p : null)),
    // The deeper of two nested folders.
    folders: both(a.folders, b.folders, (p, q) =>
      p === q || p.startsWith(`${q}/`) ? p : q.startsWith(`${p}/`) ? q : null,
    ),
    since: maxDay(a.since, b.since),
    until: minDay(a.until, b.until),
  };
}

/** "outlets X, Y · folders sports · since 2024-01-01", or "the whole archive". */
export function describeScope(scope: ArchiveScope | null | undefined): string {
  if (!scope || isEmptyScope(scope)) return 'the whole archive';
  return [
    scope.outlets.length ? `outlet${scope.outlets.length > 1 ? 's' : ''} ${scope.outlets.join(', ')}` : null,
    scope.folders.length ? `folder${scope.folders.length > 1 ? 's' : ''} ${scope.folders.join(', ')}` : null,
    scope.since ? `since ${scope.since}` : null,
    scope.until ? `until ${scope.until}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}
