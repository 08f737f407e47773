import { useEffect, useState } from 'react';
import { createApiClient, fetchPublicJson, type ApiClient } from '../api/api-client.js';
import type { ClientConfig, Me } from '../api/types.js';
import { devAuthenticator, teamsAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { completeDevSignIn, isAuthCallback, type CallbackResult } from '../auth/dev-sign-in.js';
import { connectToTeams, type TeamsHost } from '../teams/teams-host.js';

export type BootState =
  | { phase: 'starting' }
  | { phase: 'signing-in' }
  | { phase: 'callback-failed'; reason: 'state' | 'error'; detail?: string }
  | { phase: 'no-sign-in' }
  | { phase: 'failed'; error: unknown }
  | { phase: 'ready'; me: Me; config: ClientConfig; api: ApiClient; auth: Authenticator };

// The callback consumes its one-time state: remember the outcome so a re-run (StrictMode) sees the same one.
let callbackResult: CallbackResult | undefined;

/**
 * Starts the tab: finishes a dev sign-in redirect, connects to Teams when hosted, reads the public client
 * config, picks Teams SSO or dev sign-in, then loads /api/me. `attempt` restarts it (Try again).
 */
export function useTabBoot(attempt: number): { state: BootState; teams?: TeamsHost } {
  const [state, setState] = useState<BootState>({ phase: 'starting' });
  const [teams, setTeams] = useState<TeamsHost>();
  useEffect(() => {
    let live = true;
    const set = (next: BootState) => { if (live) setState(next); };
    (async () => {
      if (isAuthCallback()) {
        callbackResult ??= completeDevSignIn();
        if (callbackResult.ok) { set({ phase: 'signing-in' }); window.location.replace(callbackResult.returnTo); }
        else set({ phase: 'callback-failed', reason: callbackResult.reason, detail: callbackResult.detail });
        return;
      }
      set({ phase: 'starting' });
      const host = await connectToTeams();
      if (!live) return;
      setTeams(host);
      const config = await fetchPublicJson<ClientConfig>('/api/client-config');
      let auth: Authenticator;
      if (host) auth = teamsAuthenticator(host);
      else if (config.devSignIn) auth = devAuthenticator({ authorizeUrl: config.devSignIn.authorizeUrl, audience: config.audience });
      else return set({ phase: 'no-sign-in' });
      if (!live) return;
      set({ phase: 'signing-in' });
      const api = createApiClient(auth);
      const me = await api.get<Me>('/api/me');
      set({ phase: 'ready', me, config, api, auth });
    })().catch((error: unknown) => set({ phase: 'failed', error }));
    return () => { live = false; };
  }, [attempt]);
  return { state, teams };
}
