/** Normalises the metadata fields that every format shares. */

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/**
 * An ISO `YYYY-MM-DD` from what newsrooms write: ISO dates and date-times (also in the basic format,
 * `20240315T120000Z`), `Date` objects (YAML front matter), `August 28, 2024`, `28 August 2024`,
 * `Aug. 28, 2024`. Anything else is null, never a guess.
 */
export function toIsoDate(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Unix seconds or milliseconds.
    const ms = value < 1e11 ? value * 1000 : value;
    return toIsoDate(new Date(ms));
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])/.exec(text);
  if (iso) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  // ISO 8601's basic format, as NITF and NewsML write it: `20240315`, `20240315T120000Z`.
  const basic = /^(\d{4})(\d{2})(\d{2})(?:$|T\d)/.exec(text);
  if (basic) return validDate(Number(basic[1]), Number(basic[2]), Number(basic[3]));
  const monthFirst = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
  if (monthFirst) return validDate(Number(monthFirst[3]), monthNumber(monthFirst[1]), Number(monthFirst[2]));
  const dayFirst = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$/.exec(text);
  if (dayFirst) return validDate(Number(dayFirst[3]), monthNumber(dayFirst[2]), Number(dayFirst[1]));
  return null;
}

function monthNumber(name: string | undefined): number {
  if (!name) return 0;
  const key = name.toLowerCase();
  return MONTHS[key] ?? MONTHS[key.slice(0, 3)] ?? 0;
}

function validDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1000) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** An http(s) URL, or null. Other schemes (javascript:, file:) are never shown as links. */
export function toUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A one-line text field: whitespace collapsed, empty becomes null. */
export function toLine(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const line = value.replace(/\s+/g, ' ').trim();
  return line === '' ? null : line;
}

/** Author fields come as a string or a list of names. */
export function toAuthor(value: unknown): string | null {
  if (Array.isArray(value))
    return toLine(
      value
        .map((v) => toLine(v))
        .filter(Boolean)
        .join(', '),
    );
  return toLine(value);
}

/** Body text: line endings unified and outer blank space trimmed; everything else kept verbatim. */
export function toBody(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(/\r\n?/g, '\n').trim();
}
