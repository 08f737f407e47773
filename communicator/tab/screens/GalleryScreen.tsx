import { useState } from 'react';
import { makeStyles, tokens } from '@fluentui/react-components';
import { ErrorMessage, LoadingState, Page, Section, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi } from '../api/communicator-api.js';
import { AppNav } from '../components/AppNav.js';
import { FolderPanel } from '../components/gallery/FolderPanel.js';
import { ImageDropZone } from '../components/gallery/ImageDropZone.js';
import { ImageGrid } from '../components/gallery/ImageGrid.js';
import { useLoad } from '../hooks/useLoad.js';

const useStyles = makeStyles({
  layout: {
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 280px) minmax(0, 1fr)',
    alignItems: 'start',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 767px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  images: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { margin: 0, color: tokens.colorNeutralForeground2 },
});

/** #/gallery — the images authors put in messages: folders, upload (button or drag and drop), details, crop and resize, delete. */
export function GalleryScreen() {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [folderId, setFolderId] = useState<string>();
  const folders = useLoad((signal) => cc.galleryFolders(signal), [cc]);
  const all = useLoad((signal) => cc.galleryImages(undefined, signal), [cc]);
  const images = useLoad((signal) => (folderId ? cc.galleryImages(folderId, signal) : Promise.resolve(undefined)), [cc, folderId]);
  const shown = folderId ? images : all;
  const folder = folders.data?.find((f) => f.id === folderId);
  const reload = async () => { await Promise.all([folders.reload(), all.reload(), folderId ? images.reload() : undefined]); };

  return (
    <Page title={t('gallery.title')}>
      <AppNav />
      <div className={styles.layout}>
        <Section title={t('gallery.folders')}>
          {folders.loading ? <LoadingState label={t('common.loading')} />
            : !folders.data ? <ErrorMessage error={folders.error} onRetry={() => { void folders.reload(); }} />
            : <FolderPanel folders={folders.data} totalImages={all.data?.length} selected={folderId} onSelect={setFolderId} onChanged={reload} />}
        </Section>
        <Section title={folder ? t('gallery.imagesIn', { name: folder.name }) : t('gallery.allImages')} data-testid="gallery-images">
          <div className={styles.images}>
            <ImageDropZone folderId={folderId} onUploaded={() => { void reload(); }} />
            {shown.loading ? <LoadingState label={t('gallery.loading')} />
              : !shown.data ? <ErrorMessage error={shown.error} onRetry={() => { void shown.reload(); }} />
              : shown.data.length === 0 ? <p className={styles.muted}>{t('gallery.empty')}</p>
              : <ImageGrid images={shown.data} folders={folders.data ?? []} onChanged={reload} />}
          </div>
        </Section>
      </div>
    </Page>
  );
}
