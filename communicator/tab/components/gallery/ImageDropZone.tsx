import { useRef, useState, type DragEvent } from 'react';
import { Button, Field, makeStyles, mergeClasses, MessageBar, MessageBarBody, ProgressBar, shorthands, tokens } from '@fluentui/react-components';
import { ArrowUploadRegular, ImageAddRegular } from '@fluentui/react-icons';
import { ApiError, ErrorMessage, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi } from '../../api/communicator-api.js';
import { imageAccept, maxImageBytes, visuallyHidden } from './gallery-files.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  zone: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    color: tokens.colorNeutralForeground2,
    textAlign: 'center',
  },
  dragging: { ...shorthands.borderColor(tokens.colorCompoundBrandStroke), backgroundColor: tokens.colorBrandBackground2, color: tokens.colorNeutralForeground1 },
  input: visuallyHidden,
  problems: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

type Progress = { name: string; n: number; total: number };

/**
 * Uploads image files into a folder (or none): chosen with the button or dropped on the zone, one after
 * another, with progress, and each refusal (not an image, over 4 MB…) named with its file.
 */
export function ImageDropZone({ folderId, onUploaded }: { folderId?: string; onUploaded: () => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<Progress>();
  const [done, setDone] = useState(0);
  const [failures, setFailures] = useState<Array<{ name: string; error: unknown }>>([]);

  async function uploadAll(files: File[]) {
    if (!files.length || progress) return;
    setDone(0);
    setFailures([]);
    let uploaded = 0;
    const failed: Array<{ name: string; error: unknown }> = [];
    for (const [i, file] of files.entries()) {
      setProgress({ name: file.name, n: i + 1, total: files.length });
      try {
        if (file.size > maxImageBytes) throw new ApiError(413, 'payload_too_large', t('gallery.tooLarge', { name: file.name }));
        await cc.uploadImage(file, { folderId });
        uploaded++;
      } catch (error) {
        failed.push({ name: file.name, error });
      }
    }
    setProgress(undefined);
    setDone(uploaded);
    setFailures(failed);
    if (input.current) input.current.value = '';
    if (uploaded) onUploaded();
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void uploadAll([...e.dataTransfer.files]);
  };

  return (
    <div className={styles.root}>
      <div
        className={mergeClasses(styles.zone, dragging && styles.dragging)}
        data-testid="image-drop-zone"
        onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <ImageAddRegular aria-hidden="true" fontSize={28} />
        <span>{dragging ? t('gallery.dropActive') : t('gallery.dropHint')}</span>
        <input
          ref={input}
          className={styles.input}
          type="file"
          multiple
          accept={imageAccept}
          tabIndex={-1}
          aria-label={t('gallery.uploadLabel')}
          data-testid="gallery-file"
          onChange={(e) => { void uploadAll([...(e.target.files ?? [])]); }}
        />
        <Button appearance="primary" icon={<ArrowUploadRegular />} disabledFocusable={!!progress} onClick={() => input.current?.click()}>{t('gallery.upload')}</Button>
      </div>
      {progress && (
        <Field validationState="none" validationMessage={t('gallery.uploading', progress)}>
          <ProgressBar value={progress.total > 1 ? (progress.n - 1) / progress.total : undefined} max={1} aria-label={t('gallery.uploadProgress')} />
        </Field>
      )}
      <div role="status">
        {!progress && done > 0 && (
          <MessageBar intent="success" data-testid="upload-done"><MessageBarBody>{t('gallery.uploaded', { count: done })}</MessageBarBody></MessageBar>
        )}
      </div>
      {failures.length > 0 && (
        <div className={styles.problems} data-testid="upload-failures">
          {failures.map((f, i) => (
            <ErrorMessage key={i} message={{ title: t('gallery.uploadFailed', { name: f.name }), body: describe(f.error) }} />
          ))}
        </div>
      )}
    </div>
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
