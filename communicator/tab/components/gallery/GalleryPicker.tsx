import { useId, useState } from 'react';
import { Field, makeStyles, mergeClasses, Select, shorthands, tokens } from '@fluentui/react-components';
import { ConfirmDialog, ErrorMessage, LoadingState, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type GalleryImage } from '../../api/communicator-api.js';
import { useLoad } from '../../hooks/useLoad.js';

const useStyles = makeStyles({
  layout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalS },
  options: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: tokens.spacingHorizontalS,
    maxHeight: '50vh',
    overflowY: 'auto',
    padding: tokens.spacingHorizontalXXS,
  },
  option: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorSubtleBackgroundHover },
    ':focus-within': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  chosen: {
    ...shorthands.borderColor(tokens.colorCompoundBrandStroke),
    boxShadow: `inset 0 0 0 ${tokens.strokeWidthThick} ${tokens.colorCompoundBrandStroke}`,
    '@media (forced-colors: active)': { outline: `${tokens.strokeWidthThick} solid Highlight` },
  },
  head: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalXS, overflowWrap: 'anywhere' },
  radio: { margin: `${tokens.spacingVerticalXXS} 0 0`, flexShrink: 0, accentColor: tokens.colorCompoundBrandBackground },
  frame: { aspectRatio: '4 / 3', display: 'flex', alignItems: 'center', justifyContent: 'center', backgroundColor: tokens.colorNeutralBackground3 },
  thumb: { maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' },
  muted: { margin: 0, color: tokens.colorNeutralForeground2 },
});

/** "Choose from gallery": the gallery's images by folder, as radio buttons with their thumbnails. */
export function GalleryPicker({ onPick, onDismiss }: { onPick: (image: GalleryImage) => void; onDismiss: () => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const group = useId();
  const [folderId, setFolderId] = useState('');
  const [chosen, setChosen] = useState<GalleryImage>();
  const folders = useLoad((signal) => cc.galleryFolders(signal), [cc]);
  const images = useLoad((signal) => cc.galleryImages(folderId || undefined, signal), [cc, folderId]);

  return (
    <ConfirmDialog
      open
      title={t('gallery.picker.title')}
      confirmLabel={t('gallery.picker.use')}
      cancelLabel={t('common.cancel')}
      confirmDisabled={!chosen}
      onDismiss={onDismiss}
      onConfirm={() => { if (chosen) onPick(chosen); }}
    >
      <div className={styles.layout} data-testid="gallery-picker">
        <Field label={t('gallery.folder')}>
          <Select value={folderId} onChange={(_e, d) => { setFolderId(d.value); setChosen(undefined); }} data-testid="picker-folder">
            <option value="">{t('gallery.allImages')}</option>
            {folders.data?.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </Select>
        </Field>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t('gallery.picker.images')}</legend>
          {images.loading ? <LoadingState label={t('gallery.picker.loading')} />
            : !images.data ? <ErrorMessage error={images.error} onRetry={() => { void images.reload(); }} />
            : images.data.length === 0 ? <p className={styles.muted}>{t('gallery.picker.empty')}</p>
            : (
              <div className={styles.options}>
                {images.data.map((image) => (
                  <label key={image.id} className={mergeClasses(styles.option, chosen?.id === image.id && styles.chosen)} data-testid="picker-image">
                    <span className={styles.frame}><img className={styles.thumb} src={image.thumbnailUrl} alt="" loading="lazy" /></span>
                    <span className={styles.head}>
                      <input className={styles.radio} type="radio" name={group} value={image.id} checked={chosen?.id === image.id} onChange={() => setChosen(image)} />
                      <span>{image.name}</span>
                    </span>
                  </label>
                ))}
              </div>
            )}
        </fieldset>
      </div>
    </ConfirmDialog>
  );
}
