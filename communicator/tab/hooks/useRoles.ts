import { createContext, useContext } from 'react';
import type { RolesView } from '../api/communicator-api.js';

export const RolesContext = createContext<RolesView | undefined>(undefined);

/** The signed-in user's roles in this app (GET /api/roles), inside the author screens only. */
export function useRoles(): RolesView {
  const roles = useContext(RolesContext);
  if (!roles) throw new Error('useRoles() must be used inside <AuthorGate>');
  return roles;
}
