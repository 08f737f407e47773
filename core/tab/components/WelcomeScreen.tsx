import { BulletList, Lead } from './WelcomeText.js';
import { Page } from './Page.js';
import { Section } from './Section.js';
import { SignedInUser } from './SignedInUser.js';
import { useAppTranslation } from '../i18n/i18n.js';

/**
 * An app's first screen until it has its own: what the app is for (the app's `home.*` strings)
 * and who is signed in.
 */
export function WelcomeScreen() {
  const { t } = useAppTranslation();
  const features = t('home.features', { returnObjects: true }) as unknown as string[];
  return (
    <Page title={t('home.title')}>
      <Lead>{t('home.description')}</Lead>
      <Section title={t('home.featuresHeading')}>
        <BulletList items={features} />
      </Section>
      <SignedInUser />
    </Page>
  );
}
