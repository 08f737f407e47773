import { BulletList, Lead, Page, Section, SignedInUser, useAppTranslation } from '@teamspro/core/tab';

/** First screen: what the app is for, and who is signed in. */
export function Home() {
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
