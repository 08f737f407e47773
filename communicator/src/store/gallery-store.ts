import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { conflict, dataOf, notFound, type BlobStorage, type Row, type StoredBlob, type TableStorage, type TenantScope } from '@teamspro/core';
import type { ProcessedImage, StoredImageType } from '@teamspro/core/images';
import type { GalleryFolder } from '../api/contract.js';
import type { ImageSize } from '../domain/image-token.js';
import { Blobs, Tables } from './tables.js';

type FolderRecord = { name: string };

type ImageRecord = {
  folderId?: string;
  name: string;
  altText: string;
  contentType: StoredImageType;
  width: number;
  height: number;
  bytes: number;
  /** which blobs hold the current pixels; a new one on every edit, so /img/ URLs change with the image */
  version: string;
  createdBy: string;
  createdAt: string;
  /** exposed as updatedAt (core reserves that name for the table's own timestamp) */
  editedAt: string;
};

/** An image's metadata as stored, with its id and etag. */
export type ImageEntry = ImageRecord & { id: string; etag: string };

export type NewImage = { folderId?: string; name: string; altText: string; createdBy: string; full: ProcessedImage; thumb: ProcessedImage };
export type ImageChanges = { name?: string; folderId?: string | null; altText?: string };

const FOLDERS = 'folders';
const IMAGES = 'images';

/** Blob names: "<image>/<version>/full" and "/thumb". Every version of an image shares the "<image>/" prefix. */
const blobName = (imageId: string, version: string, size: ImageSize) => `${imageId}/${version}/${size}`;
const newVersion = () => randomBytes(6).toString('base64url');
const odata = (value: string) => value.replace(/'/g, "''");

function entryOf(row: Row<ImageRecord>): ImageEntry {
  return { ...dataOf(row), id: row.rowKey, etag: row.etag };
}

/**
 * The image gallery: folders and image metadata in Tables, the pixels in Blobs (each version full size
 * and as a thumbnail). An edit writes a new version and leaves the older ones, so links already sent
 * keep showing what they showed; deleting the image deletes every version.
 */
export class GalleryStore {
  constructor(private readonly tables: TableStorage, private readonly blobStorage: BlobStorage) {}

  private folderTable(scope: TenantScope) { return this.tables.forTenant(scope).table<FolderRecord>(Tables.gallery); }
  private imageTable(scope: TenantScope) { return this.tables.forTenant(scope).table<ImageRecord>(Tables.gallery); }
  private blobs(scope: TenantScope) { return this.blobStorage.forTenant(scope).container(Blobs.gallery); }

  async listFolders(scope: TenantScope): Promise<GalleryFolder[]> {
    const [folders, images] = await Promise.all([this.folderTable(scope).listAll(FOLDERS), this.imageTable(scope).listAll(IMAGES)]);
    const counts = new Map<string, number>();
    for (const image of images) if (image.folderId) counts.set(image.folderId, (counts.get(image.folderId) ?? 0) + 1);
    return folders
      .map((f) => ({ id: f.rowKey, name: f.name, imageCount: counts.get(f.rowKey) ?? 0, etag: f.etag }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async getFolder(scope: TenantScope, id: string): Promise<GalleryFolder | undefined> {
    const row = await this.folderTable(scope).get(FOLDERS, id);
    return row && { id, name: row.name, imageCount: await this.countImages(scope, id), etag: row.etag };
  }

  async createFolder(scope: TenantScope, name: string): Promise<GalleryFolder> {
    const id = ulid();
    const etag = await this.folderTable(scope).create(FOLDERS, id, { name });
    return { id, name, imageCount: 0, etag };
  }

  /** 404 for an unknown folder, 412 when `etag` is stale. */
  async renameFolder(scope: TenantScope, id: string, name: string, etag: string): Promise<GalleryFolder> {
    if (!await this.folderTable(scope).get(FOLDERS, id)) throw notFound('This folder does not exist.');
    const newEtag = await this.folderTable(scope).update(FOLDERS, id, { name }, etag);
    return { id, name, imageCount: await this.countImages(scope, id), etag: newEtag };
  }

  /** 404 for an unknown folder, 409 while it holds images. */
  async deleteFolder(scope: TenantScope, id: string): Promise<void> {
    if (!await this.folderTable(scope).get(FOLDERS, id)) throw notFound('This folder does not exist.');
    if (await this.countImages(scope, id, 1) > 0) throw conflict('This folder holds images: move or delete them first.');
    await this.folderTable(scope).delete(FOLDERS, id);
  }

  /** Images, newest first; those of one folder when `folderId` is given. */
  async listImages(scope: TenantScope, folderId?: string): Promise<ImageEntry[]> {
    const rows = await this.imageTable(scope).listAll(IMAGES, folderId ? { filter: `folderId eq '${odata(folderId)}'` } : {});
    return rows.map(entryOf).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async getImage(scope: TenantScope, id: string): Promise<ImageEntry | undefined> {
    const row = await this.imageTable(scope).get(IMAGES, id);
    return row && entryOf(row);
  }

  /** Stores the pixels, then the metadata: a listed image always has its blobs. */
  async addImage(scope: TenantScope, image: NewImage): Promise<ImageEntry> {
    const id = ulid();
    const version = newVersion();
    const now = new Date().toISOString();
    await this.putVersion(scope, id, version, image.full, image.thumb);
    const record: ImageRecord = {
      ...(image.folderId ? { folderId: image.folderId } : {}),
      name: image.name, altText: image.altText, ...pixelsOf(image.full), version, createdBy: image.createdBy, createdAt: now, editedAt: now,
    };
    try {
      const etag = await this.imageTable(scope).create(IMAGES, id, record);
      return { ...record, id, etag };
    } catch (err) {
      await this.blobs(scope).deleteAll(`${id}/`).catch(() => 0);
      throw err;
    }
  }

  /** Renames, moves (null: out of any folder) or re-describes an image; 412 when `etag` is stale. */
  async updateImage(scope: TenantScope, current: ImageEntry, changes: ImageChanges, etag: string): Promise<ImageEntry> {
    const { id: _id, etag: _etag, folderId, ...rest } = current;
    const nextFolder = changes.folderId === null ? undefined : changes.folderId ?? folderId;
    const record: ImageRecord = {
      ...rest,
      ...(nextFolder ? { folderId: nextFolder } : {}),
      name: changes.name ?? current.name,
      altText: changes.altText ?? current.altText,
      editedAt: new Date().toISOString(),
    };
    const newEtag = await this.imageTable(scope).update(IMAGES, current.id, record, etag);
    return { ...record, id: current.id, etag: newEtag };
  }

  /** New pixels for an image (a new version); 412 when `etag` is stale, and then the new blobs are removed again. */
  async replacePixels(scope: TenantScope, current: ImageEntry, etag: string, full: ProcessedImage, thumb: ProcessedImage): Promise<ImageEntry> {
    const version = newVersion();
    await this.putVersion(scope, current.id, version, full, thumb);
    const { id: _id, etag: _etag, ...rest } = current;
    const record: ImageRecord = { ...rest, ...pixelsOf(full), version, editedAt: new Date().toISOString() };
    try {
      const newEtag = await this.imageTable(scope).update(IMAGES, current.id, record, etag);
      return { ...record, id: current.id, etag: newEtag };
    } catch (err) {
      await this.blobs(scope).deleteAll(`${current.id}/${version}/`).catch(() => 0);
      throw err;
    }
  }

  /** The pixels of one version of an image, or undefined when there are none (unknown, deleted, another tenant's). */
  readPixels(scope: TenantScope, imageId: string, version: string, size: ImageSize): Promise<StoredBlob | undefined> {
    return this.blobs(scope).get(blobName(imageId, version, size));
  }

  /** Deletes every version's blobs, then the metadata. */
  async deleteImage(scope: TenantScope, id: string): Promise<void> {
    await this.blobs(scope).deleteAll(`${id}/`);
    await this.imageTable(scope).delete(IMAGES, id);
  }

  private async putVersion(scope: TenantScope, id: string, version: string, full: ProcessedImage, thumb: ProcessedImage): Promise<void> {
    const blobs = this.blobs(scope);
    try {
      await blobs.put(blobName(id, version, 'full'), full.data, full.contentType, { ifNoneExists: true });
      await blobs.put(blobName(id, version, 'thumb'), thumb.data, thumb.contentType, { ifNoneExists: true });
    } catch (err) {
      await blobs.deleteAll(`${id}/${version}/`).catch(() => 0);
      throw err;
    }
  }

  private async countImages(scope: TenantScope, folderId: string, atMost = Infinity): Promise<number> {
    let count = 0;
    for await (const _row of this.imageTable(scope).list(IMAGES, { filter: `folderId eq '${odata(folderId)}'` })) {
      if (++count >= atMost) break;
    }
    return count;
  }
}

function pixelsOf(image: ProcessedImage): Pick<ImageRecord, 'contentType' | 'width' | 'height' | 'bytes'> {
  return { contentType: image.contentType, width: image.width, height: image.height, bytes: image.bytes };
}
