/** The wall-clock time now in `timeZone`, as "YYYY-MM-DDTHH:mm" (comparable with a date + time input's value). */
export function wallClockNow(timeZone: string, now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** "Europe/Paris" → "Europe/Paris (UTC+01:00)" for the zone's current offset. */
export function zoneLabel(timeZone: string, now = new Date()): string {
  try {
    const offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName')?.value;
    return offset ? `${timeZone.replace(/_/g, ' ')} (${offset.replace('GMT', 'UTC') || 'UTC'})` : timeZone;
  } catch {
    return timeZone;
  }
}
