const httpDate = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /i;

/**
 * Seconds to wait according to a Retry-After header, which holds either delay-seconds or an
 * HTTP-date (RFC 9110 §10.2.3). Undefined when the header is missing or unreadable; a date in
 * the past gives 0.
 */
export function parseRetryAfter(header: string | null | undefined, now: number | Date = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  // Date.parse accepts almost anything ("1.5" is a date to V8), so insist on an HTTP-date's weekday.
  if (!httpDate.test(value)) return undefined;
  // HTTP-dates are always GMT; the obsolete asctime form omits the zone.
  const date = Date.parse(/GMT$/i.test(value) ? value : `${value} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - (typeof now === 'number' ? now : now.getTime())) / 1000);
}
