import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components';

/** Teams' theme names, as `app.theme` and the theme change handler report them. */
export type ThemeName = 'default' | 'dark' | 'contrast';

export function normalizeTheme(value: string | null | undefined): ThemeName | undefined {
  switch ((value ?? '').toLowerCase()) {
    case 'default': case 'light': return 'default';
    case 'dark': return 'dark';
    case 'contrast': case 'highcontrast': case 'high-contrast': return 'contrast';
    default: return undefined;
  }
}

export function fluentTheme(name: ThemeName): Theme {
  return name === 'dark' ? teamsDarkTheme : name === 'contrast' ? teamsHighContrastTheme : teamsLightTheme;
}

const darkQuery = '(prefers-color-scheme: dark)';
const forcedColorsQuery = '(forced-colors: active)';

/** Outside Teams: `?theme=default|dark|contrast`, else the OS (forced colours → contrast, dark scheme → dark). */
export function browserTheme(search = window.location.search): ThemeName {
  const fromQuery = normalizeTheme(new URLSearchParams(search).get('theme'));
  if (fromQuery) return fromQuery;
  if (typeof window.matchMedia !== 'function') return 'default';
  if (window.matchMedia(forcedColorsQuery).matches) return 'contrast';
  return window.matchMedia(darkQuery).matches ? 'dark' : 'default';
}

/** Calls back when the OS preference changes; returns the unsubscribe function. */
export function watchSystemTheme(onChange: (theme: ThemeName) => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const queries = [window.matchMedia(darkQuery), window.matchMedia(forcedColorsQuery)];
  const listener = () => onChange(browserTheme(''));
  for (const q of queries) q.addEventListener('change', listener);
  return () => { for (const q of queries) q.removeEventListener('change', listener); };
}
