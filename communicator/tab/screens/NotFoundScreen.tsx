import { Link } from 'react-router';
import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { Page, useAppTranslation } from '@teamspro/core/tab';
import { AppNav } from '../components/AppNav.js';

export function NotFoundScreen() {
  const { t } = useAppTranslation();
  return (
    <Page title={t('notFound.title')}>
      <AppNav />
      <MessageBar intent="warning"><MessageBarBody>{t('notFound.body')} <Link to="/personal">{t('notFound.back')}</Link></MessageBarBody></MessageBar>
    </Page>
  );
}
