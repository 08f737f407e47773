import { CardDataError, bool, dateTime, timeZone, type Locale } from './data.js';

export interface EventTimeData {
  /** ISO 8601 with offset or Z. */
  start: string;
  /** ISO 8601 with offset or Z; for all-day events the exclusive end (midnight after the last day). */
  end: string;
  /** IANA zone the event was created in, e.g. "Europe/Paris". */
  timeZone: string;
  allDay?: boolean;
}

export interface EventTime {
  start: Date;
  end: Date;
  allDay: boolean;
  /** The range written in the event's own time zone, e.g. "Monday, June 3, 2024, 10:00 – 11:30 AM GMT+2 (Europe/Paris)". */
  text: string;
}

export function eventTime(data: Record<string, unknown>, locale: Locale, allDayLabel: string): EventTime {
  const start = dateTime(data.start, 'start');
  const end = dateTime(data.end, 'end');
  const zone = timeZone(data.timeZone, 'timeZone');
  const allDay = bool(data.allDay, 'allDay');
  if (end.getTime() < start.getTime()) throw new CardDataError('end', 'is before start');

  if (allDay) {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: zone });
    // All-day ends are exclusive, so the last day shown is the one before `end`.
    const lastDay = new Date(Math.max(start.getTime(), end.getTime() - 1));
    return { start, end, allDay, text: `${format.formatRange(start, lastDay)} · ${allDayLabel}` };
  }
  const format = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  });
  const zoneSuffix = /^(UTC|Etc\/UTC|Etc\/GMT|GMT)$/i.test(zone) ? '' : ` (${zone})`;
  return { start, end, allDay, text: `${format.formatRange(start, end)}${zoneSuffix}` };
}
