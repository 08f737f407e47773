import type { TenantScope } from '@teamspro/core';
import type { GalleryImage } from './contract.js';
import type { ImageEntry } from '../store/gallery-store.js';
import type { Services } from '../services.js';

/** An image as the tab API shows it, with absolute signed /img/ URLs (they change when the pixels do). */
export function galleryImageView(s: Services, scope: TenantScope, image: ImageEntry): GalleryImage {
  const link = (size: 'full' | 'thumb') => `${s.publicUrl}/img/${s.imageTokens.sign({ tenantId: scope.tenantId, imageId: image.id, version: image.version, size })}`;
  return {
    id: image.id,
    ...(image.folderId ? { folderId: image.folderId } : {}),
    name: image.name,
    altText: image.altText,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
    bytes: image.bytes,
    url: link('full'),
    thumbnailUrl: link('thumb'),
    createdBy: image.createdBy,
    createdAt: image.createdAt,
    updatedAt: image.editedAt,
    etag: image.etag,
  };
}
