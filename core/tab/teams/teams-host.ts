import { normalizeTheme, type ThemeName } from '../theme/theme.js';

/** What the shell needs from the Teams client once the SDK is initialized. */
export type TeamsHost = {
  theme: ThemeName;
  /** BCP 47 tag from the Teams context (`app.locale`), e.g. "fr-fr" */
  locale: string;
  /** "Teams", "Outlook", "Office"… */
  hostName: string;
  clientType: string;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  /** Teams SSO: an access token for this app's API (audience = the app's Entra ID application) */
  getAuthToken(): Promise<string>;
};

/**
 * Cheap check before loading the SDK: Teams desktop and web frame the tab; Teams mobile loads it in a
 * web view that exposes `nativeInterface`. `?inTeams=false` forces the browser path (the dev portal's iframes).
 */
export function looksLikeTeamsHost(win: Window = window): boolean {
  const hint = new URLSearchParams(win.location.search).get('inTeams');
  if (hint === 'false' || hint === '0') return false;
  if (hint === 'true' || hint === '1') return true;
  let framed = false;
  try { framed = win.parent !== win.self; } catch { framed = true; }
  return framed || 'nativeInterface' in win;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}

let connecting: Promise<TeamsHost | undefined> | undefined;

/**
 * Initializes the Teams SDK when the tab looks hosted, with a short timeout, and resolves to the host or
 * to undefined (not in Teams, or the host never answered). The SDK is loaded only when it can be used.
 */
export function connectToTeams(timeoutMs = 3000): Promise<TeamsHost | undefined> {
  connecting ??= (async () => {
    if (!looksLikeTeamsHost()) return undefined;
    try {
      const { app, authentication } = await import('@microsoft/teams-js');
      await withTimeout(app.initialize(), timeoutMs, 'Microsoft Teams');
      const context = await withTimeout(app.getContext(), timeoutMs, 'Microsoft Teams');
      app.notifyAppLoaded();
      void app.notifySuccess().catch(() => undefined);
      const host: TeamsHost = {
        theme: normalizeTheme(context.app.theme) ?? 'default',
        locale: context.app.locale,
        hostName: String(context.app.host.name),
        clientType: String(context.app.host.clientType),
        onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(normalizeTheme(theme) ?? 'default')),
        getAuthToken: () => authentication.getAuthToken(),
      };
      return host;
    } catch {
      return undefined;
    }
  })();
  return connecting;
}
