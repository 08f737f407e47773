import { createHash, randomBytes } from 'node:crypto';
import type { SampleTenant } from '../seed/tenants.js';
import { GraphError } from './errors.js';
import { makePng, pngSize } from './png.js';
import type { GroupState } from './state.js';

export type IdentitySet = { user: { id?: string; displayName: string } } | { application: { id: string; displayName: string } };

export type DriveItem = {
  id: string;
  name: string;
  parentId: string | null;
  isFolder: boolean;
  content: Buffer | null;
  mimeType: string | null;
  description: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  createdBy: IdentitySet;
  lastModifiedBy: IdentitySet;
  version: number;
  /** secret part of the pre-authenticated download and thumbnail URLs */
  downloadToken: string;
};

export type Drive = {
  id: string;
  tenantId: string;
  groupId: string;
  groupName: string;
  groupMail: string;
  webUrl: string;
  rootId: string;
  items: Map<string, DriveItem>;
};

export const conflictBehaviors = ['fail', 'replace', 'rename'] as const;
export type ConflictBehavior = (typeof conflictBehaviors)[number];

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const seeded = '2024-01-15T09:00:00Z';

/** Item ids shaped like SharePoint's ("01" + 32 base32 characters); deterministic for seeded items. */
function itemId(seed?: string): string {
  const bytes = seed ? createHash('sha256').update(seed).digest() : randomBytes(32);
  return `01${[...bytes.subarray(0, 32)].map((b) => base32[b % 32]).join('')}`;
}

const mimeTypes: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  txt: 'text/plain', csv: 'text/csv', json: 'application/json', pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function mimeFromName(name: string): string {
  return mimeTypes[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** SharePoint refuses these characters and names that start or end with spaces. */
export function validateName(name: unknown): string {
  if (typeof name !== 'string' || !name.trim() || name !== name.trim() || /["*:<>?/\\|]/.test(name) || name === '.' || name === '..') {
    throw new GraphError(400, 'invalidRequest', `Invalid name '${String(name)}'.`);
  }
  return name;
}

export function itemNotFound(what: string): GraphError {
  return new GraphError(404, 'itemNotFound', `The resource could not be found: ${what}`);
}

export function childrenOf(drive: Drive, parentId: string): DriveItem[] {
  return [...drive.items.values()].filter((i) => i.parentId === parentId).sort((a, b) => a.name.localeCompare(b.name));
}

export function childByName(drive: Drive, parentId: string, name: string): DriveItem | undefined {
  const lower = name.toLowerCase();
  return [...drive.items.values()].find((i) => i.parentId === parentId && i.name.toLowerCase() === lower);
}

export function descendantsOf(drive: Drive, id: string): DriveItem[] {
  return childrenOf(drive, id).flatMap((child) => [child, ...(child.isFolder ? descendantsOf(drive, child.id) : [])]);
}

/** `/Images/sunrise.png`; the root is the empty string. */
export function pathOf(drive: Drive, item: DriveItem): string {
  const names: string[] = [];
  for (let cur: DriveItem | undefined = item; cur && cur.parentId !== null; cur = drive.items.get(cur.parentId)) names.unshift(cur.name);
  return names.length > 0 ? `/${names.join('/')}` : '';
}

function newItem(drive: Drive, fields: Pick<DriveItem, 'name' | 'parentId' | 'isFolder'> & Partial<DriveItem>, by: IdentitySet, idSeed?: string): DriveItem {
  const now = idSeed ? seeded : new Date().toISOString();
  const item: DriveItem = {
    id: itemId(idSeed), content: null, mimeType: null, description: null,
    createdDateTime: now, lastModifiedDateTime: now, createdBy: by, lastModifiedBy: by, version: 1,
    downloadToken: idSeed ? createHash('sha256').update(`download:${idSeed}`).digest('base64url') : randomBytes(24).toString('base64url'),
    ...fields,
  };
  drive.items.set(item.id, item);
  return item;
}

/** `report.pdf` → `report 1.pdf`, `report 2.pdf`, … until the name is free. */
function freeName(drive: Drive, parentId: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${stem} ${n}${ext}`;
    if (!childByName(drive, parentId, candidate)) return candidate;
  }
}

const nameConflict = (name: string) => new GraphError(409, 'nameAlreadyExists', `An item named '${name}' already exists.`);

/** Creates or replaces a file; `created` tells the caller whether to answer 201 or 200. */
export function putFile(drive: Drive, parentId: string, name: string, content: Buffer, mimeType: string | undefined, conflict: ConflictBehavior, by: IdentitySet): { item: DriveItem; created: boolean } {
  validateName(name);
  const existing = childByName(drive, parentId, name);
  if (existing && conflict === 'replace' && !existing.isFolder) {
    Object.assign(existing, { content, mimeType: mimeType ?? existing.mimeType, lastModifiedDateTime: new Date().toISOString(), lastModifiedBy: by, version: existing.version + 1 });
    return { item: existing, created: false };
  }
  if (existing && conflict !== 'rename') throw nameConflict(name);
  const finalName = existing ? freeName(drive, parentId, name) : name;
  return { item: newItem(drive, { name: finalName, parentId, isFolder: false, content, mimeType: mimeType ?? mimeFromName(finalName) }, by), created: true };
}

export function createFolder(drive: Drive, parentId: string, name: string, conflict: ConflictBehavior, by: IdentitySet): DriveItem {
  validateName(name);
  const existing = childByName(drive, parentId, name);
  if (existing && existing.isFolder && conflict === 'replace') return existing;
  if (existing && conflict !== 'rename') throw nameConflict(name);
  return newItem(drive, { name: existing ? freeName(drive, parentId, name) : name, parentId, isFolder: true }, by);
}

export function renameItem(drive: Drive, item: DriveItem, name: string): void {
  validateName(name);
  const clash = childByName(drive, item.parentId ?? '', name);
  if (clash && clash.id !== item.id) throw nameConflict(name);
  item.name = name;
}

export function removeTree(drive: Drive, item: DriveItem): void {
  for (const d of descendantsOf(drive, item.id)) drive.items.delete(d.id);
  drive.items.delete(item.id);
}

function size(drive: Drive, item: DriveItem): number {
  return item.isFolder ? descendantsOf(drive, item.id).reduce((sum, d) => sum + (d.content?.length ?? 0), 0) : item.content?.length ?? 0;
}

export function itemJson(origin: string, drive: Drive, item: DriveItem): Record<string, unknown> {
  const path = pathOf(drive, item);
  const parent = item.parentId ? drive.items.get(item.parentId) : undefined;
  const json: Record<string, unknown> = {
    id: item.id,
    name: item.parentId === null ? 'root' : item.name,
    description: item.description ?? undefined,
    size: size(drive, item),
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime,
    eTag: `"{${item.id}},${item.version}"`,
    cTag: `"c:{${item.id}},${item.version}"`,
    webUrl: `${drive.webUrl}${path.split('/').map(encodeURIComponent).join('/')}`,
    createdBy: item.createdBy,
    lastModifiedBy: item.lastModifiedBy,
    parentReference: parent
      ? { driveType: 'documentLibrary', driveId: drive.id, id: parent.id, name: parent.parentId === null ? 'Shared Documents' : parent.name, path: `/drives/${drive.id}/root:${pathOf(drive, parent)}` }
      : { driveType: 'documentLibrary', driveId: drive.id },
  };
  if (item.parentId === null) json.root = {};
  if (item.isFolder) json.folder = { childCount: childrenOf(drive, item.id).length };
  else {
    json.file = { mimeType: item.mimeType ?? 'application/octet-stream' };
    const dims = item.content ? pngSize(item.content) : undefined;
    if (dims) json.image = dims;
    json['@microsoft.graph.downloadUrl'] = `${origin}/_download/${item.downloadToken}`;
  }
  return json;
}

export function driveJson(drive: Drive): Record<string, unknown> {
  const used = [...drive.items.values()].reduce((sum, i) => sum + (i.content?.length ?? 0), 0);
  const total = 1024 ** 4;
  return {
    id: drive.id,
    driveType: 'documentLibrary',
    name: 'Documents',
    description: '',
    createdDateTime: seeded,
    lastModifiedDateTime: seeded,
    webUrl: drive.webUrl,
    createdBy: { user: { displayName: 'System Account' } },
    owner: { group: { id: drive.groupId, displayName: drive.groupName, email: drive.groupMail } },
    quota: { deleted: 0, remaining: total - used, state: 'normal', total, used },
  };
}

/** Three small images so thumbnails, content and search have something real to work on. */
const seedImages: Array<{ name: string; width: number; height: number; pixel: (x: number, y: number) => [number, number, number] }> = [
  { name: 'sunrise.png', width: 320, height: 240, pixel: (x, y) => [255, Math.floor(120 + (y / 240) * 100), Math.floor((x / 320) * 80)] },
  { name: 'forest.png', width: 240, height: 320, pixel: (x, y) => [Math.floor((x / 240) * 60), Math.floor(100 + (y / 320) * 120), 40] },
  { name: 'ocean.png', width: 200, height: 200, pixel: (x, y) => [20, Math.floor((x / 200) * 120), Math.floor(140 + (y / 200) * 110)] },
];

/** A document library for every Microsoft 365 group; each team's holds Images/ with the seed images. */
export function seedDrives(tenant: SampleTenant, groups: GroupState[]): Map<string, Drive> {
  const drives = new Map<string, Drive>();
  const host = `${tenant.domain.split('.')[0]}.sharepoint.com`;
  for (const group of groups.filter((g) => g.groupTypes.includes('Unified'))) {
    const site = group.mail.split('@')[0]!;
    const drive: Drive = {
      id: `b!${createHash('sha256').update(`drive:${group.id}`).digest('base64url')}`,
      tenantId: tenant.id,
      groupId: group.id,
      groupName: group.displayName,
      groupMail: group.mail,
      webUrl: `https://${host}/sites/${site}/Shared%20Documents`,
      rootId: '',
      items: new Map(),
    };
    const owner = tenant.users.find((u) => u.id === group.owners[0]);
    const by: IdentitySet = { user: owner ? { id: owner.id, displayName: owner.displayName } : { displayName: 'System Account' } };
    drive.rootId = newItem(drive, { name: 'root', parentId: null, isFolder: true }, by, `${group.id}:/`).id;
    if (group.isTeam) {
      const images = newItem(drive, { name: 'Images', parentId: drive.rootId, isFolder: true }, by, `${group.id}:/Images`);
      for (const img of seedImages) {
        newItem(drive, { name: img.name, parentId: images.id, isFolder: false, content: makePng(img.width, img.height, img.pixel), mimeType: 'image/png' }, by, `${group.id}:/Images/${img.name}`);
      }
    }
    drives.set(drive.id, drive);
  }
  return drives;
}

export function identityOf(tenantUsers: Map<string, { displayName: string }>, principal: { kind: 'user' | 'app'; oid: string }): IdentitySet {
  if (principal.kind === 'app') return { application: { id: principal.oid, displayName: 'TeamsPro (dev)' } };
  return { user: { id: principal.oid, displayName: tenantUsers.get(principal.oid)?.displayName ?? principal.oid } };
}
