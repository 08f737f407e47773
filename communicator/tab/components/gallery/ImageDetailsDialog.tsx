import { useState } from 'react';
import { Field, Input, makeStyles, Select, Textarea, tokens } from '@fluentui/react-components';
import { ConfirmDialog, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type GalleryFolder, type GalleryImage } from '../../api/communicator-api.js';

const useStyles = makeStyles({ fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM } });

/** Rename an image, describe it (alt text) and move it to another folder (or none). */
export function ImageDetailsDialog({ image, folders, onSaved, onDismiss }: {
  image: GalleryImage;
  folders: GalleryFolder[];
  onSaved: () => Promise<void>;
  onDismiss: () => void;
}) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [name, setName] = useState(image.name);
  const [altText, setAltText] = useState(image.altText);
  // a folder deleted meanwhile is not offered: the image then moves to "no folder"
  const [folderId, setFolderId] = useState(folders.some((f) => f.id === image.folderId) ? image.folderId! : '');

  return (
    <ConfirmDialog
      open
      title={t('gallery.detailsTitle')}
      confirmLabel={t('common.save')}
      cancelLabel={t('common.cancel')}
      busyLabel={t('common.working')}
      confirmDisabled={!name.trim()}
      onDismiss={onDismiss}
      onConfirm={async () => {
        await cc.updateImage(image.id, { name: name.trim(), altText: altText.trim(), folderId: folderId || null }, image.etag);
        await onSaved();
      }}
    >
      <div className={styles.fields}>
        <Field label={t('gallery.name')} required>
          <Input value={name} maxLength={200} onChange={(_e, d) => setName(d.value)} data-testid="image-name" />
        </Field>
        <Field label={t('gallery.altText')} hint={t('gallery.altTextHint')}>
          <Textarea value={altText} maxLength={500} rows={2} resize="vertical" onChange={(_e, d) => setAltText(d.value)} data-testid="image-alt" />
        </Field>
        <Field label={t('gallery.folder')}>
          <Select value={folderId} onChange={(_e, d) => setFolderId(d.value)} data-testid="image-folder">
            <option value="">{t('gallery.noFolder')}</option>
            {folders.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </Select>
        </Field>
      </div>
    </ConfirmDialog>
  );
}
