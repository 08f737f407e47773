/** GET /api/client-config (public). */
export type ClientConfig = { appId: string; displayName: string; audience: string; devSignIn?: { authorizeUrl: string } };

/** GET /api/me: the signed-in user, from the validated token. */
export type Me = { tenantId: string; userId: string; name: string; upn: string; roles: string[] };
