export { IdentityProvider, graphAppRoles, graphDelegatedScopes, graphResource, servicePrincipalId, type AppTokenRequest, type UserTokenRequest } from './identity-provider.js';
export { startIdentityProvider, identityApp, type RunningIdentityProvider } from './server.js';
