import type { ReactNode } from 'react';
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ErrorMessage, LoadingState, Page, SignedInUser, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi } from '../api/communicator-api.js';
import { useLoad } from '../hooks/useLoad.js';
import { RolesContext } from '../hooks/useRoles.js';

/**
 * Asks GET /api/roles once. Authors (and tenant admins who are authors) get the screens; everyone else a
 * polite notice in place of the tab, since every other route answers them 403.
 */
export function AuthorGate({ children }: { children: ReactNode }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const roles = useLoad((signal) => cc.roles(signal), [cc]);

  if (roles.loading) {
    return <Page title={t('home.title')}><LoadingState label={t('common.loading')} /></Page>;
  }
  if (!roles.data) {
    return (
      <Page title={t('home.title')}>
        <ErrorMessage error={roles.error} onRetry={() => { void roles.reload(); }} />
        <SignedInUser />
      </Page>
    );
  }
  if (!roles.data.isAuthor) {
    return (
      <Page title={t('home.title')}>
        <MessageBar intent="info" layout="multiline" data-testid="authors-only">
          <MessageBarBody>
            <MessageBarTitle>{t('authorsOnly.title')}</MessageBarTitle>
            {t('authorsOnly.body')}
          </MessageBarBody>
        </MessageBar>
        <SignedInUser />
      </Page>
    );
  }
  return <RolesContext.Provider value={roles.data}>{children}</RolesContext.Provider>;
}
