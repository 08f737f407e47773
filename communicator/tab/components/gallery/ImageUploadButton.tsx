import { useEffect, useRef, useState } from 'react';
import { Button, makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons';
import { ApiError, ErrorMessage, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type GalleryImage } from '../../api/communicator-api.js';
import { imageAccept, maxImageBytes, visuallyHidden } from './gallery-files.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  input: visuallyHidden,
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
});

/** "Upload an image": one file into the gallery (no folder), then handed to `onUploaded`. */
export function ImageUploadButton({ onUploaded }: { onUploaded: (image: GalleryImage) => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<string>();
  const [error, setError] = useState<unknown>();
  const mounted = useRef(true);
  useEffect(() => { mounted.current = true; return () => { mounted.current = false; }; }, []);

  async function upload(file: File) {
    setError(undefined);
    if (file.size > maxImageBytes) {
      setError(new ApiError(413, 'payload_too_large', t('gallery.tooLarge', { name: file.name })));
      return;
    }
    setUploading(file.name);
    try {
      const image = await cc.uploadImage(file);
      // the image is in the gallery either way; it only goes into the message the editor still shows
      if (mounted.current) onUploaded(image);
    } catch (err) {
      if (mounted.current) setError(err);
    } finally {
      if (mounted.current) setUploading(undefined);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className={styles.root}>
      <input
        ref={input}
        className={styles.input}
        type="file"
        accept={imageAccept}
        tabIndex={-1}
        aria-label={t('composer.fields.uploadImageLabel')}
        data-testid="composer-image-file"
        onChange={(e) => { const file = e.target.files?.[0]; if (file) void upload(file); }}
      />
      <Button icon={uploading ? <Spinner size="tiny" /> : <ArrowUploadRegular />} disabledFocusable={!!uploading} onClick={() => input.current?.click()}>
        {t('composer.fields.uploadImage')}
      </Button>
      {uploading && <span className={styles.status} role="status">{t('composer.fields.uploadingImage', { name: uploading })}</span>}
      {error !== undefined && <ErrorMessage error={error} />}
    </div>
  );
}
