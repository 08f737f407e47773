import { useState } from 'react';
import { Checkbox, Field, Input, makeStyles, Text, shorthands, tokens } from '@fluentui/react-components';
import { ConfirmDialog, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type GalleryImage, type ImageEdit } from '../../api/communicator-api.js';
import { maxSide } from './gallery-files.js';

const useStyles = makeStyles({
  layout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  preview: {
    position: 'relative',
    alignSelf: 'center',
    maxWidth: '100%',
    overflow: 'hidden',
    lineHeight: 0,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  image: { display: 'block', maxWidth: '100%', maxHeight: '280px', width: 'auto', height: 'auto' },
  crop: {
    position: 'absolute',
    boxSizing: 'border-box',
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralForegroundOnBrand}`,
    outline: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralForeground1}`,
    // everything outside the crop is dimmed
    boxShadow: '0 0 0 9999px rgba(0, 0, 0, 0.55)',
    '@media (forced-colors: active)': { ...shorthands.borderColor('Highlight'), outlineColor: 'CanvasText' },
  },
  fieldset: { border: 'none', margin: 0, padding: 0, minWidth: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalS },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(4, minmax(0, 1fr))', gap: tokens.spacingHorizontalS, '@media (max-width: 479px)': { gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' } },
  sizes: { color: tokens.colorNeutralForeground2 },
  error: { display: 'block', marginTop: tokens.spacingVerticalS, color: tokens.colorPaletteRedForeground1 },
});

type Rect = { left: number; top: number; width: number; height: number };

const whole = (value: string) => (/^\d+$/.test(value.trim()) ? Number(value) : NaN);

/**
 * Crop and resize with numbers (keyboard- and screen-reader-friendly), over a preview that dims what the crop
 * leaves out. The server checks the rectangle again; "as a copy" keeps the original.
 */
export function ImageEditorDialog({ image, onSaved, onDismiss }: { image: GalleryImage; onSaved: (result: GalleryImage) => Promise<void>; onDismiss: () => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [fields, setFields] = useState({ left: '0', top: '0', width: String(image.width), height: String(image.height) });
  const [targetWidth, setTargetWidth] = useState(String(image.width));
  const [asCopy, setAsCopy] = useState(false);

  const rect: Rect = { left: whole(fields.left), top: whole(fields.top), width: whole(fields.width), height: whole(fields.height) };
  const rectValid = Object.values(rect).every(Number.isFinite) && rect.width >= 1 && rect.height >= 1
    && rect.left + rect.width <= image.width && rect.top + rect.height <= image.height;
  const cropped = rectValid && (rect.left !== 0 || rect.top !== 0 || rect.width !== image.width || rect.height !== image.height);
  const baseWidth = rectValid ? rect.width : image.width;
  const baseHeight = rectValid ? rect.height : image.height;
  const width = whole(targetWidth);
  const height = Number.isFinite(width) ? Math.max(1, Math.round((baseHeight * width) / baseWidth)) : NaN;
  const widthValid = Number.isFinite(width) && width >= 1 && width <= maxSide && height <= maxSide;
  const resized = widthValid && width !== baseWidth;
  const edit: ImageEdit | undefined = rectValid && widthValid && (cropped || resized)
    ? { ...(cropped ? { crop: rect } : {}), ...(resized ? { resize: { width } } : {}), asCopy, etag: image.etag }
    : undefined;
  const shown = rectValid ? rect : { left: 0, top: 0, width: image.width, height: image.height };
  const percent = (part: number, total: number) => `${(part / total) * 100}%`;
  const set = (key: keyof typeof fields) => (_e: unknown, d: { value: string }) => {
    setFields((f) => ({ ...f, [key]: d.value }));
    // a new crop width starts the resize from it
    if (key === 'width') setTargetWidth(d.value);
  };

  return (
    <ConfirmDialog
      open
      title={t('gallery.editor.title', { name: image.name })}
      confirmLabel={asCopy ? t('gallery.editor.saveCopy') : t('common.save')}
      cancelLabel={t('common.cancel')}
      busyLabel={t('common.working')}
      confirmDisabled={!edit}
      onDismiss={onDismiss}
      onConfirm={async () => { if (edit) await onSaved(await cc.editImage(image.id, edit)); }}
    >
      <div className={styles.layout}>
        <div
          className={styles.preview}
          role="img"
          aria-label={t('gallery.editor.previewLabel', { ...shown })}
          data-testid="crop-preview"
        >
          <img className={styles.image} src={image.url} alt="" />
          <div className={styles.crop} style={{ left: percent(shown.left, image.width), top: percent(shown.top, image.height), width: percent(shown.width, image.width), height: percent(shown.height, image.height) }} />
        </div>
        <Text className={styles.sizes}>{t('gallery.editor.original', { width: image.width, height: image.height })}</Text>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t('gallery.editor.crop')}</legend>
          <div className={styles.grid}>
            <Field label={t('gallery.editor.left')}><Input type="number" min={0} max={image.width - 1} value={fields.left} onChange={set('left')} data-testid="crop-left" /></Field>
            <Field label={t('gallery.editor.top')}><Input type="number" min={0} max={image.height - 1} value={fields.top} onChange={set('top')} data-testid="crop-top" /></Field>
            <Field label={t('gallery.editor.width')}><Input type="number" min={1} max={image.width} value={fields.width} onChange={set('width')} data-testid="crop-width" /></Field>
            <Field label={t('gallery.editor.height')}><Input type="number" min={1} max={image.height} value={fields.height} onChange={set('height')} data-testid="crop-height" /></Field>
          </div>
          {!rectValid && <Text role="alert" className={styles.error} data-testid="crop-error">{t('gallery.editor.outside', { width: image.width, height: image.height })}</Text>}
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t('gallery.editor.resize')}</legend>
          <Field
            label={t('gallery.editor.newWidth')}
            hint={widthValid ? t('gallery.editor.result', { width, height }) : undefined}
            validationMessage={widthValid ? undefined : t('gallery.editor.widthRange', { max: maxSide })}
          >
            <Input type="number" min={1} max={maxSide} value={targetWidth} onChange={(_e, d) => setTargetWidth(d.value)} data-testid="resize-width" />
          </Field>
        </fieldset>
        <Checkbox checked={asCopy} onChange={(_e, d) => setAsCopy(d.checked === true)} label={t('gallery.editor.asCopy')} />
      </div>
    </ConfirmDialog>
  );
}
