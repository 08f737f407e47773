import { useRef, useState } from 'react';
import { Button, Field, Input, makeStyles, Textarea, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, ImageMultipleRegular } from '@fluentui/react-icons';
import { useAppTranslation } from '@teamspro/core/tab';
import { MAX_BROADCAST_LINKS } from '@teamspro/templates';
import type { GalleryImage, LinkButton, MessageVariant } from '../api/communicator-api.js';
import { isWebUrl } from '../preview/build-card.js';
import { GalleryPicker } from './gallery/GalleryPicker.js';
import { ImageUploadButton } from './gallery/ImageUploadButton.js';

const useStyles = makeStyles({
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  pair: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: tokens.spacingHorizontalM, '@media (max-width: 599px)': { gridTemplateColumns: 'minmax(0, 1fr)' } },
  links: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  link: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr) auto',
    alignItems: 'end',
    gap: tokens.spacingHorizontalS,
    '@media (max-width: 599px)': { gridTemplateColumns: 'minmax(0, 1fr) auto' },
  },
  linkUrl: { '@media (max-width: 599px)': { gridColumn: '1 / 2' } },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalS },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  hint: { color: tokens.colorNeutralForeground2 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  imageSources: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
});

/** One language version of the message: title, summary, body, image and link buttons. */
export function VariantEditor({ variant, onChange, showErrors }: { variant: MessageVariant; onChange: (next: MessageVariant) => void; showErrors: boolean }) {
  const { t } = useAppTranslation();
  const styles = useStyles();
  const set = (patch: Partial<MessageVariant>) => onChange({ ...variant, ...patch });
  const setLink = (i: number, patch: Partial<LinkButton>) => set({ links: variant.links.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const imageInvalid = !!variant.imageUrl?.trim() && !isWebUrl(variant.imageUrl);
  const [picking, setPicking] = useState(false);
  // an upload finishes later: it must land on the variant as it is then, not as it was when it started
  const latest = useRef({ variant, onChange });
  latest.current = { variant, onChange };
  /** a gallery image brings its description unless the author already wrote one */
  const applyImage = (image: GalleryImage) => {
    const { variant: now, onChange: change } = latest.current;
    change({ ...now, imageUrl: image.url, imageAltText: now.imageAltText?.trim() ? now.imageAltText : image.altText });
  };

  return (
    <div className={styles.fields}>
      <Field label={t('composer.fields.title')} required validationMessage={showErrors && !variant.title.trim() ? t('composer.problems.titleRequired') : undefined}>
        <Input value={variant.title} maxLength={500} onChange={(_e, d) => set({ title: d.value })} data-testid="variant-title" />
      </Field>
      <Field label={t('composer.fields.summary')} hint={t('composer.fields.summaryHint')}>
        <Textarea value={variant.summary ?? ''} rows={2} resize="vertical" onChange={(_e, d) => set({ summary: d.value })} />
      </Field>
      <Field
        label={t('composer.fields.body')}
        hint={<span className={styles.hint}>{t('composer.fields.bodyHint')} <code className={styles.code}>**{t('composer.markdown.bold')}**</code> <code className={styles.code}>_{t('composer.markdown.italic')}_</code> <code className={styles.code}>- {t('composer.markdown.list')}</code> <code className={styles.code}>1. {t('composer.markdown.numbered')}</code> <code className={styles.code}>[{t('composer.markdown.link')}](https://…)</code></span>}
      >
        <Textarea value={variant.body} rows={7} resize="vertical" onChange={(_e, d) => set({ body: d.value })} data-testid="variant-body" />
      </Field>
      <div className={styles.pair}>
        <Field label={t('composer.fields.imageUrl')} hint={t('composer.fields.imageHint')} validationMessage={imageInvalid ? t('composer.problems.imageUrl') : undefined}>
          <Input type="url" value={variant.imageUrl ?? ''} placeholder="https://" onChange={(_e, d) => set({ imageUrl: d.value })} />
        </Field>
        <Field label={t('composer.fields.imageAlt')} hint={t('composer.fields.imageAltHint')}>
          <Input value={variant.imageAltText ?? ''} onChange={(_e, d) => set({ imageAltText: d.value })} />
        </Field>
      </div>
      <div className={styles.imageSources}>
        <Button icon={<ImageMultipleRegular />} onClick={() => setPicking(true)}>{t('composer.fields.chooseFromGallery')}</Button>
        <ImageUploadButton onUploaded={applyImage} />
      </div>
      {picking && <GalleryPicker onPick={applyImage} onDismiss={() => setPicking(false)} />}
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>{t('composer.fields.links', { max: MAX_BROADCAST_LINKS })}</legend>
        <ul className={styles.links}>
          {variant.links.map((link, i) => {
            const incomplete = (link.title.trim() === '') !== (link.url.trim() === '');
            const badUrl = link.url.trim() !== '' && !isWebUrl(link.url);
            return (
              <li key={i} className={styles.link}>
                <Field label={t('composer.fields.linkTitle', { n: i + 1 })} validationMessage={showErrors && incomplete && !link.title.trim() ? t('composer.problems.linkTitle') : undefined}>
                  <Input value={link.title} maxLength={100} onChange={(_e, d) => setLink(i, { title: d.value })} />
                </Field>
                <Field className={styles.linkUrl} label={t('composer.fields.linkUrl', { n: i + 1 })} validationMessage={badUrl ? t('composer.problems.linkUrlShort') : showErrors && incomplete && !link.url.trim() ? t('composer.problems.linkUrlMissing') : undefined}>
                  <Input type="url" value={link.url} placeholder="https://" onChange={(_e, d) => setLink(i, { url: d.value })} />
                </Field>
                <Button appearance="subtle" icon={<DeleteRegular />} aria-label={t('composer.fields.removeLink', { n: i + 1 })} onClick={() => set({ links: variant.links.filter((_l, j) => j !== i) })} />
              </li>
            );
          })}
        </ul>
        <Button appearance="secondary" icon={<AddRegular />} disabled={variant.links.length >= MAX_BROADCAST_LINKS} onClick={() => set({ links: [...variant.links, { title: '', url: '' }] })}>
          {t('composer.fields.addLink')}
        </Button>
      </fieldset>
    </div>
  );
}
