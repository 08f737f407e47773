import type { Language } from '@teamspro/core/tab';

/** "12 Mar 2026, 09:30" in the UI language and the viewer's zone (or `timeZone`). */
export function formatDateTime(iso: string | undefined, language: Language, timeZone?: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

export function formatNumber(n: number, language: Language): string {
  return new Intl.NumberFormat(language).format(n);
}

/** 0.4567 → "46 %" / "46%" as the language writes it. */
export function formatPercent(ratio: number, language: Language): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(Number.isFinite(ratio) ? ratio : 0);
}

/** "fr-FR" → "French (France)" / "français (France)" in the UI language. */
export function languageName(tag: string, language: Language): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Languages offered for message variants (BCP 47). */
export const variantLocales = ['en-US', 'en-GB', 'fr-FR', 'fr-CA', 'de-DE', 'es-ES', 'it-IT', 'nl-NL', 'pt-BR', 'pt-PT', 'pl-PL', 'sv-SE', 'da-DK', 'nb-NO', 'fi-FI', 'cs-CZ', 'tr-TR', 'ja-JP', 'ko-KR', 'zh-CN', 'zh-TW', 'ar-SA', 'he-IL', 'hi-IN'] as const;

/** The browser's IANA zone, e.g. "Europe/Paris". */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone the browser knows (with the browser's own and UTC at least). */
export function timeZones(): string[] {
  const own = browserTimeZone();
  let zones: string[] = [];
  try { zones = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? []; } catch { zones = []; }
  const all = new Set([...zones, own, 'UTC']);
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** Local date and time inputs' values one hour from now, rounded up to the quarter hour. */
export function defaultScheduleSlot(now = new Date()): { date: string; time: string } {
  const slot = new Date(now.getTime() + 60 * 60_000);
  slot.setMinutes(Math.ceil(slot.getMinutes() / 15) * 15, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${slot.getFullYear()}-${pad(slot.getMonth() + 1)}-${pad(slot.getDate())}`, time: `${pad(slot.getHours())}:${pad(slot.getMinutes())}` };
}
