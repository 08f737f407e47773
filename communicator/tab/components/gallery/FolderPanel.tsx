import { useState, type ReactElement } from 'react';
import { Button, Field, Input, makeStyles, mergeClasses, Spinner, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, FolderOpenRegular, FolderRegular, ImageMultipleRegular, RenameRegular } from '@fluentui/react-icons';
import { ConfirmDialog, withMessageFor, ErrorMessage, useAppTranslation } from '@teamspro/core/tab';
import { useCommunicatorApi, type GalleryFolder } from '../../api/communicator-api.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXXS },
  folder: { flex: '1 1 auto', minWidth: 0, justifyContent: 'flex-start', textAlign: 'start', fontWeight: tokens.fontWeightRegular },
  current: {
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    // the text colour made for that background (black on Highlight cyan in high contrast, not the button's white)
    color: tokens.colorNeutralForeground1Selected,
    // not by colour alone: a bar on the start edge, which forced-colors modes keep
    boxShadow: `inset ${tokens.strokeWidthThicker} 0 0 ${tokens.colorCompoundBrandStroke}`,
    '@media (forced-colors: active)': { outline: `${tokens.strokeWidthThick} solid Highlight` },
  },
  label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  count: { marginInlineStart: 'auto', paddingInlineStart: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  // on the selected folder's background (Highlight in high contrast) the count takes the button's own text colour
  currentCount: { color: 'inherit' },
  // the panel is narrow: the name above its button
  form: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS },
  grow: { alignSelf: 'stretch', minWidth: 0 },
});

/** The folders of the gallery: pick one (or all images), create, rename and delete them. */
export function FolderPanel({ folders, totalImages, selected, onSelect, onChanged }: {
  folders: GalleryFolder[];
  totalImages?: number;
  selected?: string;
  onSelect: (folderId: string | undefined) => void;
  onChanged: () => Promise<void>;
}) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>();
  const [renaming, setRenaming] = useState<GalleryFolder>();
  const [newName, setNewName] = useState('');
  const [deleting, setDeleting] = useState<GalleryFolder>();

  async function create() {
    if (!name.trim()) return;
    setCreating(true);
    setCreateError(undefined);
    try {
      const folder = await cc.createFolder(name.trim());
      setName('');
      await onChanged();
      onSelect(folder.id);
    } catch (err) {
      setCreateError(err);
    } finally {
      setCreating(false);
    }
  }

  const item = (id: string | undefined, label: string, count: number | undefined, icon: ReactElement) => (
    <Button
      appearance="subtle"
      className={mergeClasses(styles.folder, selected === id && styles.current)}
      icon={icon}
      aria-current={selected === id ? 'true' : undefined}
      onClick={() => onSelect(id)}
      data-testid="gallery-folder"
    >
      <span className={styles.label}>{label}</span>
      {count !== undefined && <span className={mergeClasses(styles.count, selected === id && styles.currentCount)}>{count}</span>}
    </Button>
  );

  return (
    <div className={styles.root}>
      <ul className={styles.list} aria-label={t('gallery.folders')}>
        <li className={styles.row}>{item(undefined, t('gallery.allImages'), totalImages, <ImageMultipleRegular />)}</li>
        {folders.map((f) => (
          <li key={f.id} className={styles.row}>
            {item(f.id, f.name, f.imageCount, selected === f.id ? <FolderOpenRegular /> : <FolderRegular />)}
            <Button appearance="subtle" icon={<RenameRegular />} aria-label={t('gallery.renameFolderNamed', { name: f.name })} onClick={() => { setNewName(f.name); setRenaming(f); }} />
            <Button appearance="subtle" icon={<DeleteRegular />} aria-label={t('gallery.deleteFolderNamed', { name: f.name })} onClick={() => setDeleting(f)} />
          </li>
        ))}
      </ul>
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <Field label={t('gallery.newFolder')} className={styles.grow}>
          <Input value={name} maxLength={100} onChange={(_e, d) => setName(d.value)} data-testid="folder-name" />
        </Field>
        <Button type="submit" icon={creating ? <Spinner size="tiny" /> : <AddRegular />} disabled={creating || !name.trim()}>{t('gallery.addFolder')}</Button>
      </form>
      {createError !== undefined && <ErrorMessage error={createError} />}

      {renaming && <ConfirmDialog
        open
        title={t('gallery.renameFolderTitle')}
        confirmLabel={t('common.save')}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        confirmDisabled={!newName.trim() || newName.trim() === renaming.name}
        onDismiss={() => setRenaming(undefined)}
        onConfirm={async () => {
          await cc.renameFolder(renaming.id, newName.trim(), renaming.etag);
          await onChanged();
        }}
      >
        <Field label={t('gallery.folderName')} required>
          <Input value={newName} maxLength={100} onChange={(_e, d) => setNewName(d.value)} />
        </Field>
      </ConfirmDialog>}
      {deleting && <ConfirmDialog
        open
        title={t('gallery.confirmDeleteFolder.title')}
        confirmLabel={t('gallery.delete')}
        cancelLabel={t('common.cancel')}
        busyLabel={t('common.working')}
        destructive
        onDismiss={() => setDeleting(undefined)}
        onConfirm={async () => {
          await withMessageFor(409, t('gallery.folderNotEmpty'), () => cc.deleteFolder(deleting.id));
          if (selected === deleting.id) onSelect(undefined);
          await onChanged();
        }}
      >
        {t('gallery.confirmDeleteFolder.body', { name: deleting.name })}
      </ConfirmDialog>}
    </div>
  );
}
