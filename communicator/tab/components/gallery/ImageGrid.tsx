import { useState } from 'react';
import { Button, makeStyles, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, tokens } from '@fluentui/react-components';
import { CropRegular, DeleteRegular, EditRegular, MoreHorizontalRegular } from '@fluentui/react-icons';
import { ConfirmDialog, useAppTranslation, useSession } from '@teamspro/core/tab';
import { useCommunicatorApi, type GalleryFolder, type GalleryImage } from '../../api/communicator-api.js';
import { formatKilobytes } from './gallery-files.js';
import { ImageDetailsDialog } from './ImageDetailsDialog.js';
import { ImageEditorDialog } from './ImageEditorDialog.js';

const useStyles = makeStyles({
  grid: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(180px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  card: {
    display: 'flex',
    flexDirection: 'column',
    minWidth: 0,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    overflow: 'hidden',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  frame: { aspectRatio: '4 / 3', display: 'flex', alignItems: 'center', justifyContent: 'center', backgroundColor: tokens.colorNeutralBackground3 },
  thumb: { maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' },
  body: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}` },
  text: { flex: '1 1 auto', minWidth: 0 },
  name: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  meta: { margin: 0, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  noAlt: { fontStyle: 'italic' },
});

type Action = { kind: 'details' | 'edit' | 'delete'; image: GalleryImage };

/** The images of the chosen folder as cards: thumbnail, name, size; each with details, crop and resize, delete. */
export function ImageGrid({ images, folders, onChanged }: { images: GalleryImage[]; folders: GalleryFolder[]; onChanged: () => Promise<void> }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [action, setAction] = useState<Action>();
  const close = () => setAction(undefined);

  return (
    <>
      <ul className={styles.grid} data-testid="image-grid">
        {images.map((image) => (
          <li key={image.id} className={styles.card} data-testid="image-card" data-image-id={image.id}>
            <div className={styles.frame}>
              {/* the name is the card's text; the thumbnail repeats it for sighted people */}
              <img className={styles.thumb} src={image.thumbnailUrl} alt="" loading="lazy" />
            </div>
            <div className={styles.body}>
              <div className={styles.text}>
                <h3 className={styles.name}>{image.name}</h3>
                <p className={styles.meta}>{t('gallery.size', { width: image.width, height: image.height, kb: formatKilobytes(image.bytes, language) })}</p>
                <p className={styles.meta}>{image.altText ? image.altText : <span className={styles.noAlt}>{t('gallery.noAltText')}</span>}</p>
              </div>
              <Menu>
                <MenuTrigger disableButtonEnhancement>
                  <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={t('gallery.actionsNamed', { name: image.name })} />
                </MenuTrigger>
                <MenuPopover>
                  <MenuList>
                    <MenuItem icon={<EditRegular />} onClick={() => setAction({ kind: 'details', image })}>{t('gallery.details')}</MenuItem>
                    <MenuItem icon={<CropRegular />} onClick={() => setAction({ kind: 'edit', image })}>{t('gallery.crop')}</MenuItem>
                    <MenuItem icon={<DeleteRegular />} onClick={() => setAction({ kind: 'delete', image })}>{t('gallery.delete')}</MenuItem>
                  </MenuList>
                </MenuPopover>
              </Menu>
            </div>
          </li>
        ))}
      </ul>
      {action?.kind === 'details' && <ImageDetailsDialog image={action.image} folders={folders} onSaved={onChanged} onDismiss={close} />}
      {action?.kind === 'edit' && <ImageEditorDialog image={action.image} onSaved={onChanged} onDismiss={close} />}
      {action?.kind === 'delete' && <ConfirmDialog
        open
        title={t('gallery.confirmDelete.title')}
        confirmLabel={t('gallery.delete')}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        destructive
        onDismiss={close}
        onConfirm={async () => {
          await cc.deleteImage(action.image.id);
          await onChanged();
        }}
      >
        {t('gallery.confirmDelete.body', { name: action.image.name })}
      </ConfirmDialog>}
    </>
  );
}
