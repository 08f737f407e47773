import { useContext } from 'react';
import { SessionContext, type Session } from './contexts.js';

/** The signed-in user, the app's client config, host, theme and language. Inside TeamsProShell only. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() must be used inside <TeamsProShell>');
  return session;
}
