import { notFound, payloadTooLarge, preconditionFailed, rawUploadBody, readUpload, multipartAllowance, type TenantScope } from '@teamspro/core';
import { editImage, normaliseImage, planEdit, thumbnailOf } from '@teamspro/core/images';
import type { Router } from 'express';
import type { Services } from '../services.js';
import { galleryImageView } from './gallery-view.js';
import { folderInputSchema, galleryLimits, imageEditSchema, imageInputSchema, maxImageBytes, uploadFieldsSchema } from './gallery-input.js';
import { callerOf, param } from './scope.js';
import { etagSchema, parseBody } from './validation.js';

const uploadMessages = {
  empty: 'Upload an image file (PNG, JPEG, GIF, WebP, HEIF/AVIF or TIFF).',
  noFile: 'The form needs a "file" field with the image.',
};

async function requireFolder(s: Services, scope: TenantScope, id: string) {
  const folder = await s.gallery.getFolder(scope, id);
  if (!folder) throw notFound('This folder does not exist.');
  return folder;
}

async function requireImage(s: Services, scope: TenantScope, id: string) {
  const image = await s.gallery.getImage(scope, id);
  if (!image) throw notFound('This image does not exist.');
  return image;
}

/** "Team photo.final.JPG" → "Team photo.final"; undefined when nothing readable is left. */
function nameFromFile(fileName: string | undefined): string | undefined {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return name ? name.slice(0, galleryLimits.imageName) : undefined;
}

/** The image gallery (contract.ts, "Image gallery"); authors only (routes.ts puts /gallery behind the author check). */
export function galleryRoutes(router: Router, s: Services) {
  router.get('/gallery/folders', async (_req, res) => {
    res.json(await s.gallery.listFolders(callerOf(res).scope));
  });

  router.post('/gallery/folders', async (req, res) => {
    const { name } = parseBody(folderInputSchema, req.body, 'The folder');
    res.status(201).json(await s.gallery.createFolder(callerOf(res).scope, name));
  });

  router.put('/gallery/folders/:id', async (req, res) => {
    const { name } = parseBody(folderInputSchema, req.body, 'The folder');
    const { etag } = parseBody(etagSchema, req.body, 'The folder');
    res.json(await s.gallery.renameFolder(callerOf(res).scope, param(req.params.id), name, etag));
  });

  router.delete('/gallery/folders/:id', async (req, res) => {
    await s.gallery.deleteFolder(callerOf(res).scope, param(req.params.id));
    res.status(204).end();
  });

  router.get('/gallery/images', async (req, res) => {
    const { scope } = callerOf(res);
    const folderId = typeof req.query.folderId === 'string' && req.query.folderId ? req.query.folderId : undefined;
    if (folderId) await requireFolder(s, scope, folderId);
    const images = await s.gallery.listImages(scope, folderId);
    res.json(images.map((image) => galleryImageView(s, scope, image)));
  });

  // the file is checked (size, then decoded) before anything is stored
  router.post('/gallery/images', rawUploadBody(maxImageBytes + multipartAllowance), async (req, res) => {
    const { scope, identity } = callerOf(res);
    const upload = await readUpload(req, uploadMessages);
    if (upload.data.length > maxImageBytes) throw payloadTooLarge('The image is over 4 MB. Make it smaller and upload it again.');
    const fields = parseBody(uploadFieldsSchema, { name: upload.fields.name || undefined, folderId: upload.fields.folderId || undefined, altText: upload.fields.altText }, 'The image');
    if (fields.folderId) await requireFolder(s, scope, fields.folderId);
    const full = await normaliseImage(upload.data);
    const thumb = await thumbnailOf(full.data);
    const name = fields.name || nameFromFile(upload.fileName) || `Image ${new Date().toISOString().slice(0, 10)}`;
    const image = await s.gallery.addImage(scope, { folderId: fields.folderId, name, altText: fields.altText, createdBy: identity.upn || identity.userId, full, thumb });
    res.status(201).json(galleryImageView(s, scope, image));
  });

  router.put('/gallery/images/:id', async (req, res) => {
    const { scope } = callerOf(res);
    const changes = parseBody(imageInputSchema, req.body, 'The image');
    const { etag } = parseBody(etagSchema, req.body, 'The image');
    const current = await requireImage(s, scope, param(req.params.id));
    if (changes.folderId) await requireFolder(s, scope, changes.folderId);
    res.json(galleryImageView(s, scope, await s.gallery.updateImage(scope, current, changes, etag)));
  });

  router.post('/gallery/images/:id/edit', async (req, res) => {
    const { scope, identity } = callerOf(res);
    const edit = parseBody(imageEditSchema, req.body, 'The edit');
    const { etag } = parseBody(etagSchema, req.body, 'The edit');
    const current = await requireImage(s, scope, param(req.params.id));
    if (current.etag !== etag) throw preconditionFailed();
    planEdit(edit, current.width, current.height); // a rectangle outside the image is refused before any work
    const stored = await s.gallery.readPixels(scope, current.id, current.version, 'full');
    if (!stored) throw notFound('This image\'s file is missing; upload it again.');
    const full = await editImage(stored.data, edit);
    const thumb = await thumbnailOf(full.data);
    if (edit.asCopy) {
      const copy = await s.gallery.addImage(scope, {
        folderId: current.folderId, name: `${current.name.slice(0, galleryLimits.imageName - 7)} (copy)`, altText: current.altText,
        createdBy: identity.upn || identity.userId, full, thumb,
      });
      res.status(201).json(galleryImageView(s, scope, copy));
      return;
    }
    res.json(galleryImageView(s, scope, await s.gallery.replacePixels(scope, current, etag, full, thumb)));
  });

  router.delete('/gallery/images/:id', async (req, res) => {
    const { scope } = callerOf(res);
    await requireImage(s, scope, param(req.params.id));
    await s.gallery.deleteImage(scope, param(req.params.id));
    res.status(204).end();
  });
}
