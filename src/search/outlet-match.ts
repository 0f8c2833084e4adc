/**
 * Which outlet of the archive a typed name means: the same name in any case, else the one outlet whose name
 * holds the typed words as whole words (`BBC` is "BBC News", not "ABBC Radio"). When none does, the closest
 * outlets are named; when several do, they are listed to choose from.
 */
export type OutletMatch =
  | { kind: 'one'; outlet: string }
  | { kind: 'several'; outlets: string[] }
  | { kind: 'none'; closest: string[] };

/** Closest outlets named when nothing matches. */
const CLOSEST = 3;
/** Outlets listed when a name matches several. */
const SEVERAL = 10;

const words = (text: string) => text.toLocaleLowerCase('en').match(/[\p{L}\p{N}]+/gu) ?? [];

export function matchOutlet(typed: string, outlets: Iterable<string>): OutletMatch {
  const all = [...new Set(outlets)];
  const key = typed.trim().toLocaleLowerCase('en');
  const exact = all.find((o) => o.trim().toLocaleLowerCase('en') === key);
  if (exact) return { kind: 'one', outlet: exact };
  const wanted = words(typed);
  if (wanted.length > 0) {
    const holding = all
      .filter((o) => containsRun(words(o), wanted))
      .sort((a, b) => a.length - b.length || a.localeCompare(b));
    if (holding.length === 1) return { kind: 'one', outlet: holding[0] as string };
    if (holding.length > 1) return { kind: 'several', outlets: holding };
  }
  const scored = all
    .map((o) => ({ o, d: distance(key, o.toLocaleLowerCase('en')) / Math.max(key.length, o.length, 1) }))
    .sort((a, b) => a.d - b.d || a.o.localeCompare(b.o));
  return { kind: 'none', closest: scored.slice(0, CLOSEST).map((s) => s.o) };
}

/** What to tell the person when `typed` does not name one outlet; null when it does. */
export function outletProblem(typed: string, match: OutletMatch, hint = ''): string | null {
  if (match.kind === 'one') return null;
  if (match.kind === 'several') {
    const listed = match.outlets.slice(0, SEVERAL).join(', ');
    const more = match.outlets.length > SEVERAL ? ` and ${match.outlets.length - SEVERAL} more` : '';
    return `"${typed}" matches several outlets: ${listed}${more}. Name one of them.${hint}`;
  }
  const closest = match.closest.length
    ? ` Closest outlets: ${match.closest.join(', ')}.`
    : ' No article records its outlet.';
  return `No article in the archive is from the outlet "${typed}".${closest}${hint}`;
}

/** Whether `run` appears in `list` as consecutive items. */
function containsRun(list: string[], run: string[]): boolean {
  for (let i = 0; i + run.length <= list.length; i++) if (run.every((w, j) => list[i + j] === w)) return true;
  return false;
}

/** Levenshtein distance, with a prefix bonus: `reut` is close to `reuters`. */
function distance(a: string, b: string): number {
  if (b.startsWith(a) || a.startsWith(b)) return Math.abs(a.length - b.length) / 4;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + cost),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}
