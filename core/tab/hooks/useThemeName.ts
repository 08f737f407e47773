import { useEffect, useState } from 'react';
import type { TeamsHost } from '../teams/teams-host.js';
import { browserTheme, normalizeTheme, watchSystemTheme, type ThemeName } from '../theme/theme.js';

/** Follows the Teams client's theme live; outside Teams `?theme=` or the OS preference (live too). */
export function useThemeName(teams: TeamsHost | undefined): ThemeName {
  const [theme, setTheme] = useState<ThemeName>(() => browserTheme());
  useEffect(() => {
    if (teams) {
      setTheme(teams.theme);
      teams.onThemeChange(setTheme);
      return undefined;
    }
    if (normalizeTheme(new URLSearchParams(window.location.search).get('theme'))) return undefined;
    return watchSystemTheme(setTheme);
  }, [teams]);
  useEffect(() => {
    // native controls and scrollbars follow the theme
    document.documentElement.style.colorScheme = theme === 'default' ? 'light' : 'dark';
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}
