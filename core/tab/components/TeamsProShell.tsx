import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, FluentProvider, makeStaticStyles, makeStyles, tokens } from '@fluentui/react-components';
import { I18nextProvider } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import { fluentTheme } from '../theme/theme.js';
import { browserLanguage, createTabI18n, normalizeLanguage, useShellTranslation, type AppResources, type Language } from '../i18n/i18n.js';
import { useTabBoot, type BootState } from '../hooks/useTabBoot.js';
import { useThemeName } from '../hooks/useThemeName.js';
import { ApiContext, SessionContext, type Session } from '../hooks/contexts.js';
import { AppHeader } from './AppHeader.js';
import { ErrorMessage } from './ErrorMessage.js';
import { LoadingState } from './LoadingState.js';
import { Page } from './Page.js';
import { SkipLink } from './SkipLink.js';

const mainId = 'teamspro-main';

const useGlobalStyles = makeStaticStyles({
  'html, body': { margin: 0, padding: 0, minHeight: '100%' },
  '#root': { minHeight: '100vh' },
});

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
  main: {
    flexGrow: 1,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    outlineStyle: 'none',
    '@media (max-width: 599px)': { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalM}` },
  },
});

export type TeamsProShellProps = {
  /** the app's strings, namespace "app"; `name` is the app's display name */
  resources: AppResources;
  /** the app's screens, rendered once the user is signed in */
  children: ReactNode;
};

/**
 * Wraps a TeamsPro tab: Fluent theme that follows Teams (or the browser), English/French, sign-in
 * (Teams SSO, or the dev identity provider outside Teams), the header, and loading/error states.
 * Inside, screens use useSession(), useApi() and useAppTranslation().
 */
export function TeamsProShell({ resources, children }: TeamsProShellProps) {
  useGlobalStyles();
  const [i18n] = useState<I18n>(() => createTabI18n(resources, browserLanguage()));
  const [attempt, setAttempt] = useState(0);
  const { state, teams } = useTabBoot(attempt);
  const theme = useThemeName(teams);
  const [language, setLanguage] = useState<Language>(() => normalizeLanguage(i18n.language));

  useEffect(() => {
    if (!teams) return;
    const lng = normalizeLanguage(teams.locale);
    void i18n.changeLanguage(lng).then(() => setLanguage(lng));
  }, [teams, i18n]);

  const appName = i18n.t('name', { ns: 'app', lng: language });
  useEffect(() => { document.title = appName; }, [appName]);

  const session = useMemo<Session | undefined>(() => state.phase !== 'ready' ? undefined : {
    me: state.me,
    config: state.config,
    host: teams ? 'teams' : 'browser',
    theme,
    language,
    switchUser: state.auth.switchUser ? () => state.auth.switchUser?.() : undefined,
  }, [state, teams, theme, language]);

  const styles = useStyles();
  return (
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={fluentTheme(theme)} className={styles.root} lang={language}>
        <SkipLink target={mainId} />
        <AppHeader appName={appName} me={session?.me} onSwitchUser={session?.switchUser} />
        <main id={mainId} tabIndex={-1} className={styles.main} aria-busy={state.phase === 'starting' || state.phase === 'signing-in'}>
          {session && state.phase === 'ready' ? (
            <SessionContext.Provider value={session}>
              <ApiContext.Provider value={state.api}>{children}</ApiContext.Provider>
            </SessionContext.Provider>
          ) : (
            <Page title={appName}>
              <BootStatus state={state} onRetry={() => setAttempt((a) => a + 1)} />
            </Page>
          )}
        </main>
      </FluentProvider>
    </I18nextProvider>
  );
}

function BootStatus({ state, onRetry }: { state: BootState; onRetry: () => void }) {
  const { t } = useShellTranslation();
  switch (state.phase) {
    case 'starting': return <LoadingState label={t('starting')} />;
    case 'signing-in':
    case 'ready': return <LoadingState label={t('signingIn')} />;
    case 'no-sign-in': return <ErrorMessage intent="warning" message={{ title: t('noSignIn.title'), body: t('noSignIn.body') }} />;
    case 'callback-failed':
      return (
        <>
          <ErrorMessage message={{ title: t('callback.title'), body: state.reason === 'state' ? t('callback.state') : t('callback.failed', { detail: state.detail }) }} />
          <div><Button appearance="primary" as="a" href={import.meta.env.BASE_URL}>{t('signInAgain')}</Button></div>
        </>
      );
    case 'failed': return <ErrorMessage error={state.error} onRetry={onRetry} />;
  }
}
