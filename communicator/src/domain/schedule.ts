/** "2026-12-01T09:00" or "2026-12-01T09:00:30" (a wall-clock time, no zone). */
const localDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export class ScheduleError extends Error {}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time in a time zone denotes (Temporal is not available, so Intl does
 * the zone arithmetic). A time skipped by a DST jump moves forward by the jump; a repeated time
 * takes its first occurrence. An ISO string with Z or an offset is taken as the instant it names.
 */
export function toInstant(sendAt: string, timeZone: string | undefined): Date {
  if (withOffset.test(sendAt)) {
    const date = new Date(sendAt);
    if (Number.isNaN(date.getTime())) throw new ScheduleError('sendAt is not a valid date-time');
    return date;
  }
  const m = localDateTime.exec(sendAt);
  if (!m) throw new ScheduleError('sendAt must be a local date-time like 2026-12-01T09:00 (with timeZone), or an ISO instant with Z or an offset');
  if (!timeZone) throw new ScheduleError('timeZone is required with a local sendAt, e.g. "Europe/Paris"');
  if (!isTimeZone(timeZone)) throw new ScheduleError(`timeZone "${timeZone}" is not a known IANA time zone`);
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw new ScheduleError('sendAt is not a valid date-time');
  // the zone's offsets a day either side bracket any DST change at this time
  const oneDay = 24 * 3600 * 1000;
  const before = wall - offsetAt(wall - oneDay, timeZone);
  const after = wall - offsetAt(wall + oneDay, timeZone);
  const candidates = [before, after].filter((t) => t + offsetAt(t, timeZone) === wall).sort((a, b) => a - b);
  // none: the time was skipped by the clocks going forward; the old offset lands after the jump
  return new Date(candidates[0] ?? before);
}
