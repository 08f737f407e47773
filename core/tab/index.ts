/**
 * @teamspro/core/tab — the React shell every TeamsPro tab uses.
 *
 *   mountTab(resources, <Home />)   // or <TeamsProShell resources={resources}><Home /></TeamsProShell>
 *
 * Screens read the user with useSession(), call the app's API with useApi() / useApiData(), and
 * translate with useAppTranslation(). The Vite config factory lives in `core/tab/vite-config.ts`
 * (Node only, not exported here).
 */
export { TeamsProShell, type TeamsProShellProps } from './components/TeamsProShell.js';
export { AppHeader } from './components/AppHeader.js';
export { ConfirmDialog, type ConfirmDialogProps } from './components/ConfirmDialog.js';
export { ErrorMessage, type ErrorMessageProps } from './components/ErrorMessage.js';
export { LoadingState } from './components/LoadingState.js';
export { Page } from './components/Page.js';
export { SignedInUser } from './components/SignedInUser.js';
export { SkipLink } from './components/SkipLink.js';
export { Section } from './components/Section.js';
export { Lead, BulletList } from './components/WelcomeText.js';
export { WelcomeScreen } from './components/WelcomeScreen.js';
export { mountTab } from './mount.js';

export { useApi, useApiData, type ApiData } from './hooks/useApi.js';
export { useSession } from './hooks/useSession.js';
export type { Session } from './hooks/contexts.js';

export { ApiError, createApiClient, withMessageFor, fetchPublicJson, type ApiClient, type ApiRequestInit, type ErrorBody } from './api/api-client.js';
export { describeError, type ReadableError } from './api/describe-error.js';
export type { ClientConfig, Me } from './api/types.js';

export { useAppTranslation, useShellTranslation, normalizeLanguage, browserLanguage, createTabI18n, supportedLanguages, type AppResources, type Language } from './i18n/i18n.js';
export { browserTheme, fluentTheme, normalizeTheme, type ThemeName } from './theme/theme.js';
export { connectToTeams, looksLikeTeamsHost, type TeamsHost } from './teams/teams-host.js';
export { TeamsSignInError, type Authenticator } from './auth/authenticator.js';
