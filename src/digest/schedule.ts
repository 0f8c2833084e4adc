import { Cron } from 'croner';
import { isTimeZone } from '../config.js';
import { describeError, UserFacingError } from '../errors.js';

/** A schedule as the person typed it and as the cron pattern it means. */
export interface Schedule {
  text: string;
  cron: string;
}

/** The schedule of a subscription that posts each new matching article as soon as it is ingested. */
export const INSTANT_SCHEDULE = { text: 'instant', cron: 'instant' } as const;

export function isInstant(subscription: { schedule: Schedule }): boolean {
  return subscription.schedule.text === INSTANT_SCHEDULE.text;
}

const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

export const SCHEDULE_EXAMPLES =
  '`daily 08:00`, `weekdays 07:30`, `weekly monday 09:00`, `instant` (each new article as it arrives), or a cron expression such as `0 8 * * 1-5`';

/**
 * `daily HH:MM`, `weekdays HH:MM`, `weekly <day> HH:MM` or a five-field cron expression (minute hour
 * day-of-month month day-of-week), in the subscription's own time zone.
 */
export function parseSchedule(input: string): Schedule {
  const text = input.trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  const time = (hhmm: string | undefined) => {
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm ?? '');
    if (!m)
      throw new UserFacingError(
        `"${hhmm}" is not a time of day: write it as HH:MM, 24-hour (e.g. 08:00 or 17:30).`,
      );
    return { hour: Number(m[1]), minute: Number(m[2]) };
  };
  if (lower === INSTANT_SCHEDULE.text) return { ...INSTANT_SCHEDULE };
  let match = /^daily (\S+)$/.exec(lower);
  if (match) {
    const { hour, minute } = time(match[1]);
    return { text: `daily ${pad(hour)}:${pad(minute)}`, cron: `${minute} ${hour} * * *` };
  }
  match = /^weekdays (\S+)$/.exec(lower);
  if (match) {
    const { hour, minute } = time(match[1]);
    return { text: `weekdays ${pad(hour)}:${pad(minute)}`, cron: `${minute} ${hour} * * 1-5` };
  }
  match = /^weekly ([a-z]+) (\S+)$/.exec(lower);
  if (match) {
    const day = DAYS[(match[1] ?? '').slice(0, 3)];
    if (day === undefined || !/^(sun|mon|tue|wed|thu|fri|sat)[a-z]*$/.test(match[1] ?? '')) {
      throw new UserFacingError(`"${match[1]}" is not a day of the week (monday … sunday).`);
    }
    const { hour, minute } = time(match[2]);
    const name = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][
      day
    ] as string;
    return { text: `weekly ${name} ${pad(hour)}:${pad(minute)}`, cron: `${minute} ${hour} * * ${day}` };
  }
  if (text.split(' ').length === 5) {
    try {
      new Cron(text, { paused: true, mode: '5-part' }).stop();
    } catch (error) {
      throw new UserFacingError(
        `"${text}" is not a valid cron expression (${describeError(error)}). Try ${SCHEDULE_EXAMPLES}.`,
      );
    }
    return { text, cron: text };
  }
  throw new UserFacingError(`"${text}" is not a schedule I understand. Try ${SCHEDULE_EXAMPLES}.`);
}

/** Whether `cron` is a five-field cron expression croner accepts. */
export function isCron(cron: string): boolean {
  try {
    new Cron(cron, { paused: true, mode: '5-part' }).stop();
    return true;
  } catch {
    return false;
  }
}

export function checkTimeZone(zone: string): string {
  const trimmed = zone.trim();
  if (!isTimeZone(trimmed)) {
    throw new UserFacingError(
      `"${zone}" is not a time zone. Use an IANA name such as Europe/Paris, America/New_York or UTC.`,
    );
  }
  return trimmed;
}

function job(cron: string, timeZone: string): Cron {
  return new Cron(cron, { timezone: timeZone, paused: true, mode: '5-part' });
}

/** The next `n` run times strictly after `after`. DST is handled by croner (a time skipped by the clock runs at the first valid time after it; a repeated time runs once). */
export function nextRuns(cron: string, timeZone: string, after: Date, n: number): Date[] {
  const j = job(cron, timeZone);
  try {
    return j.nextRuns(n, after);
  } finally {
    j.stop();
  }
}

/** The latest scheduled time at or before `at`, or null. */
export function latestRunAtOrBefore(cron: string, timeZone: string, at: Date): Date | null {
  const j = job(cron, timeZone);
  try {
    return j.previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
  } finally {
    j.stop();
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
