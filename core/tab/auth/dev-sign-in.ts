import { readJson, remove, writeJson } from './session-storage.js';

/**
 * Sign-in outside Teams against the local identity provider (implicit flow: the token comes back in the
 * URL fragment). The state and the route to return to stay in sessionStorage; the token too, so it
 * never outlives the browser tab.
 */
const tokenKey = 'teamspro.tab.token';
const pendingKey = 'teamspro.tab.signin';
const renewedKey = 'teamspro.tab.renewed';

export const authCallbackPath = `${import.meta.env.BASE_URL.replace(/\/$/, '')}/auth-callback`;

export type StoredToken = { accessToken: string; expiresAt: number; audience: string; loginHint?: string };
type PendingSignIn = { state: string; returnTo: string; audience: string; loginHint?: string };

export type DevSignInOptions = { authorizeUrl: string; audience: string; loginHint?: string; returnTo: string };

function randomState(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Only paths on this origin: the saved route must never become an open redirect. */
function safeReturnTo(value: string | undefined): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : import.meta.env.BASE_URL;
}

/** The `login_hint` the tab was opened with (the dev portal and the tests use it). */
export function loginHintFromUrl(search = window.location.search): string | undefined {
  return new URLSearchParams(search).get('login_hint')?.trim() || undefined;
}

/** The current route, optionally without `login_hint` (switching user must not sign the same user back in). */
export function currentRoute(opts: { dropLoginHint?: boolean } = {}): string {
  const url = new URL(window.location.href);
  if (opts.dropLoginHint) url.searchParams.delete('login_hint');
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A stored token for this audience that is still valid for a minute and belongs to the hinted user. */
export function storedToken(audience: string, loginHint: string | undefined): string | undefined {
  const token = readJson<StoredToken>(tokenKey);
  if (!token || token.audience !== audience || token.expiresAt - 60_000 <= Date.now()) return undefined;
  if (loginHint && token.loginHint?.toLowerCase() !== loginHint.toLowerCase()) return undefined;
  return token.accessToken;
}

export function forgetToken(): void { remove(tokenKey); }

/** Leaves the page for the identity provider. */
export function beginDevSignIn(opts: DevSignInOptions): void {
  const state = randomState();
  const pending: PendingSignIn = { state, returnTo: safeReturnTo(opts.returnTo), audience: opts.audience, loginHint: opts.loginHint };
  writeJson(pendingKey, pending);
  const url = new URL(opts.authorizeUrl);
  url.searchParams.set('client_id', opts.audience);
  url.searchParams.set('response_type', 'token');
  url.searchParams.set('redirect_uri', `${window.location.origin}${authCallbackPath}`);
  url.searchParams.set('scope', `${opts.audience}/access_as_user`);
  url.searchParams.set('state', state);
  if (opts.loginHint) url.searchParams.set('login_hint', opts.loginHint);
  window.location.assign(url.toString());
}

export function isAuthCallback(pathname = window.location.pathname): boolean {
  return pathname.replace(/\/$/, '') === authCallbackPath;
}

export type CallbackResult = { ok: true; returnTo: string } | { ok: false; reason: 'state' | 'error'; detail?: string };

/** On /tab/auth-callback: checks the state, keeps the token, and tells where to go back to. */
export function completeDevSignIn(hash = window.location.hash): CallbackResult {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const pending = readJson<PendingSignIn>(pendingKey);
  const state = params.get('state');
  if (!pending || !state || state !== pending.state) return { ok: false, reason: 'state' };
  remove(pendingKey);
  const error = params.get('error');
  const accessToken = params.get('access_token');
  if (error || !accessToken) return { ok: false, reason: 'error', detail: params.get('error_description') ?? error ?? 'no access token' };
  const expiresIn = Number(params.get('expires_in') ?? '3600');
  const token: StoredToken = {
    accessToken,
    expiresAt: Date.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
    audience: pending.audience,
    loginHint: pending.loginHint,
  };
  writeJson(tokenKey, token);
  return { ok: true, returnTo: safeReturnTo(pending.returnTo) };
}

/** After a 401 we sign in again once; a second 401 right after that is shown, not retried. */
export function markRenewed(): boolean {
  if (readJson<boolean>(renewedKey)) return false;
  writeJson(renewedKey, true);
  return true;
}
export function clearRenewed(): void { remove(renewedKey); }
