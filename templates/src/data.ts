// Runtime checks that turn caller data into the flat, fully-populated view a template expands.
// Callers pass data that came from storage or HTTP bodies, so the TypeScript types alone are not enough:
// a value that is an object where a string is expected would be spliced into the card as structure,
// and a missing value would leave the template's `${...}` expression in the output.

export class CardDataError extends TypeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'CardDataError';
  }
}

export type Locale = 'en' | 'fr';

export function pickLocale(value: unknown): Locale {
  return typeof value === 'string' && value.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

// C0/C1 controls other than tab and newline, plus bidi overrides that can disguise text.
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

interface TextOptions {
  required?: boolean;
  maxLength?: number;
  multiline?: boolean;
}

export function text(value: unknown, field: string, options: TextOptions = {}): string {
  if (value === undefined || value === null) {
    if (options.required) throw new CardDataError(field, 'is required');
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new CardDataError(field, `must be a string, got ${describe(value)}`);
  }
  let out = String(value).replace(/\r\n?/g, '\n').replace(UNSAFE_CHARS, '');
  if (!options.multiline) out = out.replace(/\s*\n\s*/g, ' ');
  out = out.trim();
  if (options.required && out === '') throw new CardDataError(field, 'must not be empty');
  if (options.maxLength !== undefined && out.length > options.maxLength) {
    throw new CardDataError(field, `is longer than ${options.maxLength} characters`);
  }
  return out;
}

export function bool(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new CardDataError(field, `must be a boolean, got ${describe(value)}`);
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new CardDataError(field, `must be one of ${allowed.join(', ')}`);
}

export function optionalOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | '' {
  if (value === undefined || value === null || value === '') return '';
  return oneOf(value, field, allowed);
}

export function list(value: unknown, field: string, max?: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CardDataError(field, `must be an array, got ${describe(value)}`);
  if (max !== undefined && value.length > max) throw new CardDataError(field, `holds ${value.length} items; at most ${max} are allowed`);
  return value;
}

export function record(value: unknown, field: string, required = false): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    if (required) throw new CardDataError(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new CardDataError(field, `must be an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

/** An absolute http(s) URL, returned as given (a click-tracking redirect must not be rewritten). */
export function webUrl(value: unknown, field: string, required = false): string {
  const raw = text(value, field, { required });
  if (raw === '') return '';
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CardDataError(field, 'is not an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CardDataError(field, `must use https or http, not ${parsed.protocol}`);
  }
  return raw;
}

// Deliberately simpler than RFC 5322: it only has to keep the value a plain address inside a mailto: URL.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function email(value: unknown, field: string, required = false): string {
  const raw = text(value, field, { required });
  if (raw === '') return '';
  if (!EMAIL.test(raw)) throw new CardDataError(field, 'is not an e-mail address');
  return raw;
}

/** `tel:` URI for a phone number as people write it: keeps a leading + and the digits. */
export function telUri(number: string, field: string): string {
  // "+33 (0)4 ..." is the international number plus the trunk prefix dialled only from inside the country.
  const international = number.trim().startsWith('+') ? number.replace(/\(0\)/g, '') : number;
  const digits = international.replace(/[\s().\-/]/g, '');
  if (!/^\+?\d{3,20}$/.test(digits)) throw new CardDataError(field, 'is not a phone number');
  return `tel:${digits}`;
}

export function dateTime(value: unknown, field: string): Date {
  const raw = text(value, field, { required: true });
  // Without an offset the instant would depend on the server's own time zone.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) {
    throw new CardDataError(field, 'must be an ISO 8601 date-time with Z or an offset');
  }
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new CardDataError(field, 'is not a valid date-time');
  return date;
}

export function optionalDateTime(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return dateTime(value, field);
}

/** The RFC 3339 form, without milliseconds, that the Adaptive Cards DATE() and TIME() functions accept. */
export function cardTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function timeZone(value: unknown, field: string): string {
  const raw = text(value, field, { required: true });
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new CardDataError(field, `is not a known time zone: ${raw}`);
  }
  return raw;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}
