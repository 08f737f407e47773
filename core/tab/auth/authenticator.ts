import type { TeamsHost } from '../teams/teams-host.js';
import { beginDevSignIn, clearRenewed, currentRoute, forgetToken, loginHintFromUrl, markRenewed, storedToken } from './dev-sign-in.js';

/** Where the tab's bearer tokens come from: Teams SSO, or the dev identity provider outside Teams. */
export interface Authenticator {
  readonly kind: 'teams' | 'dev';
  /** A token for the app's API. The dev flow may leave the page (the promise then never settles). */
  token(): Promise<string>;
  /** After a 401: a fresh token, or undefined when we already signed in again once and it didn't help. */
  renew(): Promise<string | undefined>;
  /** A request with the token succeeded. */
  accepted(): void;
  /** Outside Teams only: sign in as someone else. */
  switchUser?(): void;
}

const never = <T>() => new Promise<T>(() => {});

export function teamsAuthenticator(host: TeamsHost): Authenticator {
  let cached: Promise<string> | undefined;
  return {
    kind: 'teams',
    token: () => (cached ??= host.getAuthToken().catch((err: unknown) => { cached = undefined; throw new TeamsSignInError(err); })),
    async renew() {
      cached = undefined;
      return this.token();
    },
    accepted() {},
  };
}

export class TeamsSignInError extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'TeamsSignInError';
  }
}

export function devAuthenticator(opts: { authorizeUrl: string; audience: string }): Authenticator {
  const loginHint = loginHintFromUrl();
  const signIn = (hint: string | undefined, dropLoginHint = false) => {
    beginDevSignIn({ ...opts, loginHint: hint, returnTo: currentRoute({ dropLoginHint }) });
    return never<string>();
  };
  return {
    kind: 'dev',
    async token() {
      return storedToken(opts.audience, loginHint) ?? signIn(loginHint);
    },
    async renew() {
      forgetToken();
      if (!markRenewed()) return undefined;
      return signIn(loginHint);
    },
    accepted: clearRenewed,
    switchUser() {
      forgetToken();
      clearRenewed();
      void signIn(undefined, true);
    },
  };
}
