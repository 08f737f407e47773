import { requireGroup } from './directory.js';
import {
  childByName, childrenOf, conflictBehaviors, createFolder, descendantsOf, driveJson, identityOf, itemJson, itemNotFound,
  putFile, removeTree, renameItem, type ConflictBehavior, type Drive, type DriveItem,
} from './drive-store.js';
import { badRequest, GraphError } from './errors.js';
import { collection, entity, metadata } from './paging.js';
import { pngSize, thumbnailBounds, thumbnailDimensions } from './png.js';
import type { Router } from './router.js';
import type { TenantState } from './state.js';
import { json, jsonBody, noContent, type Ctx, type GraphResponse } from './types.js';
import { createUploadSession } from './upload-sessions.js';

/** Graph's limit for a simple upload (PUT …/content); larger files need an upload session. */
export const maxSimpleUploadBytes = 4 * 1024 * 1024;

function requireDrive(tenant: TenantState, id: string): Drive {
  const drive = tenant.drives.get(id);
  if (!drive) throw itemNotFound(`drive ${id}`);
  return drive;
}

export function groupDrive(tenant: TenantState, groupId: string): Drive {
  const group = requireGroup(tenant, groupId);
  const drive = [...tenant.drives.values()].find((d) => d.groupId === group.id);
  if (!drive) throw itemNotFound(`drive of group ${groupId}`);
  return drive;
}

/** `/groups/{id}/drive/…` is another address for `/drives/{driveId}/…`. */
export function rewriteGroupDrivePath(tenant: TenantState, path: string): string {
  const m = /^\/groups\/([^/]+)\/drive(\/.+)$/.exec(path);
  return m ? `/drives/${groupDrive(tenant, m[1]!).id}${m[2]}` : path;
}

type Address = { base: DriveItem; relPath?: string; action: string };

/**
 * Splits `/root`, `/items/{id}`, `/root:/a/b.png`, `/items/{id}:/name:/content`, `/root/search(q='x')`
 * into the item addressed and the action after it.
 */
function parseAddress(drive: Drive, rest: string): Address {
  const m = /^\/(?:root|items\/([^/:]+))(?::\/([^:]+):?)?(\/[^:]*)?$/.exec(rest);
  if (!m) throw badRequest(`Resource not found for the segment '${rest}'.`);
  const base = drive.items.get(m[1] ?? drive.rootId);
  if (!base) throw itemNotFound(`item ${m[1]}`);
  return { base, relPath: m[2]?.replace(/\/+$/, ''), action: m[3] ?? '' };
}

/** Walks a relative path by name; returns the item, or the deepest existing folder and the names still missing. */
function walk(drive: Drive, base: DriveItem, relPath: string | undefined): { item?: DriveItem; parent: DriveItem; missing: string[] } {
  const names = (relPath ?? '').split('/').filter(Boolean);
  let current = base;
  for (let i = 0; i < names.length; i++) {
    const next = current.isFolder ? childByName(drive, current.id, names[i]!) : undefined;
    if (!next) return { parent: current, missing: names.slice(i) };
    current = next;
  }
  return { item: current, parent: current, missing: [] };
}

function existing(drive: Drive, address: Address): DriveItem {
  const found = walk(drive, address.base, address.relPath);
  if (!found.item) throw itemNotFound(address.relPath ?? address.base.id);
  return found.item;
}

/** For uploads: the folder to put the file in (creating missing folders on the way, as OneDrive does) and the file name. */
function uploadTarget(ctx: Ctx, drive: Drive, address: Address): { parent: DriveItem; name: string } {
  const found = walk(drive, address.base, address.relPath);
  if (found.item) {
    if (found.item.isFolder) throw badRequest('The target is a folder; address a file name.', 'invalidRequest');
    return { parent: drive.items.get(found.item.parentId!)!, name: found.item.name };
  }
  let parent = found.parent;
  if (!parent.isFolder) throw badRequest(`'${parent.name}' is not a folder.`, 'invalidRequest');
  const by = identityOf(ctx.tenant.users, ctx.principal);
  for (const folder of found.missing.slice(0, -1)) parent = createFolder(drive, parent.id, folder, 'replace', by);
  return { parent, name: found.missing.at(-1)! };
}

function conflictOf(value: unknown, fallback: ConflictBehavior): ConflictBehavior {
  if (value === undefined) return fallback;
  if (!conflictBehaviors.includes(value as ConflictBehavior)) throw badRequest(`Invalid @microsoft.graph.conflictBehavior '${String(value)}'.`, 'invalidRequest');
  return value as ConflictBehavior;
}

function thumbnails(ctx: Ctx, drive: Drive, item: DriveItem): GraphResponse {
  const dims = item.content ? pngSize(item.content) : undefined;
  const value = dims
    ? [{
      id: '0',
      ...Object.fromEntries(Object.entries(thumbnailBounds).map(([size, bound]) => [size, { ...thumbnailDimensions(dims, bound), url: `${ctx.origin}/_thumbnails/${item.downloadToken}/${size}` }])),
    }]
    : [];
  return json(200, { '@odata.context': metadata(ctx, `drives('${drive.id}')/items('${item.id}')/thumbnails`), value });
}

function itemRequest(ctx: Ctx, drive: Drive, rest: string): GraphResponse {
  const { method } = ctx.req;
  const address = parseAddress(drive, rest);
  const by = () => identityOf(ctx.tenant.users, ctx.principal);
  const search = /^\/search\(q='((?:[^']|'')*)'\)$/.exec(address.action);

  if (search) {
    if (method !== 'GET') throw new GraphError(405, 'invalidRequest', `${method} is not allowed on search.`);
    const q = search[1]!.replace(/''/g, "'").toLowerCase();
    const hits = descendantsOf(drive, existing(drive, address).id).filter((i) => i.name.toLowerCase().includes(q) || (i.description ?? '').toLowerCase().includes(q));
    return collection(ctx, hits.map((i) => itemJson(ctx.origin, drive, i)), { context: 'Collection(driveItem)' });
  }

  switch (`${method} ${address.action}`) {
    case 'GET ':
      return entity(ctx, itemJson(ctx.origin, drive, existing(drive, address)), `drives('${drive.id}')/items`);
    case 'PATCH ': {
      const item = existing(drive, address);
      if (item.parentId === null) throw new GraphError(403, 'accessDenied', 'The root folder cannot be changed.');
      const body = jsonBody<{ name?: unknown; description?: unknown }>(ctx.req);
      if (body.name !== undefined) renameItem(drive, item, body.name as string);
      if (body.description !== undefined) {
        if (body.description !== null && typeof body.description !== 'string') throw badRequest('description must be a string.', 'invalidRequest');
        item.description = body.description;
      }
      Object.assign(item, { lastModifiedDateTime: new Date().toISOString(), lastModifiedBy: by(), version: item.version + 1 });
      return json(200, itemJson(ctx.origin, drive, item));
    }
    case 'DELETE ': {
      const item = existing(drive, address);
      if (item.parentId === null) throw new GraphError(403, 'accessDenied', 'The root folder cannot be deleted.');
      removeTree(drive, item);
      return noContent();
    }
    case 'GET /children': {
      const folder = existing(drive, address);
      const items = folder.isFolder ? childrenOf(drive, folder.id) : [];
      return collection(ctx, items.map((i) => itemJson(ctx.origin, drive, i)), { context: `drives('${drive.id}')/items('${folder.id}')/children` });
    }
    case 'POST /children': {
      const folder = existing(drive, address);
      const body = jsonBody<{ name?: unknown; folder?: unknown; '@microsoft.graph.conflictBehavior'?: unknown }>(ctx.req);
      if (!body.folder) throw badRequest("Creating an item here needs a 'folder' facet; upload files with PUT …/content.", 'invalidRequest');
      const created = createFolder(drive, folder.id, body.name as string, conflictOf(body['@microsoft.graph.conflictBehavior'], 'fail'), by());
      return json(201, itemJson(ctx.origin, drive, created));
    }
    case 'GET /content': {
      const item = existing(drive, address);
      if (item.isFolder) throw badRequest('A folder has no content.', 'invalidRequest');
      // Graph answers with a redirect to a short-lived pre-authenticated URL.
      return { status: 302, headers: { location: `${ctx.origin}/_download/${item.downloadToken}` } };
    }
    case 'PUT /content': {
      if (ctx.req.body.length > maxSimpleUploadBytes) {
        throw new GraphError(413, 'requestEntityTooLarge', `Simple upload is limited to ${maxSimpleUploadBytes} bytes; use an upload session for larger files.`);
      }
      const { parent, name } = uploadTarget(ctx, drive, address);
      const contentType = ctx.req.headers['content-type'];
      const mime = contentType && contentType !== 'application/octet-stream' && !contentType.startsWith('text/plain') ? contentType : undefined;
      const conflict = conflictOf(ctx.req.query.get('@microsoft.graph.conflictBehavior') ?? undefined, 'replace');
      const { item, created } = putFile(drive, parent.id, name, ctx.req.body, mime, conflict, by());
      return json(created ? 201 : 200, itemJson(ctx.origin, drive, item));
    }
    case 'GET /thumbnails':
      return thumbnails(ctx, drive, existing(drive, address));
    case 'POST /createUploadSession': {
      const { parent, name } = uploadTarget(ctx, drive, address);
      const body = jsonBody<{ item?: { '@microsoft.graph.conflictBehavior'?: unknown; name?: unknown } }>(ctx.req);
      const finalName = typeof body.item?.name === 'string' ? body.item.name : name;
      return createUploadSession(ctx.sandbox, ctx.origin, {
        tenantId: ctx.tenant.id, driveId: drive.id, parentId: parent.id, name: finalName,
        conflict: conflictOf(body.item?.['@microsoft.graph.conflictBehavior'], 'replace'), by: by(),
      });
    }
    default:
      throw badRequest(`${method} is not supported on '${address.action || 'the item'}'.`);
  }
}

export function registerDrives(router: Router): void {
  const anyMethod = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  router
    .add('GET', /^\/groups\/([^/]+)\/drive$/, (ctx, [groupId]) => entity(ctx, driveJson(groupDrive(ctx.tenant, groupId!)), 'drives'))
    .add('GET', /^\/groups\/([^/]+)\/drives$/, (ctx, [groupId]) => collection(ctx, [driveJson(groupDrive(ctx.tenant, groupId!))], { context: 'drives' }))
    .add('GET', /^\/drives\/([^/]+)$/, (ctx, [driveId]) => entity(ctx, driveJson(requireDrive(ctx.tenant, driveId!)), 'drives'));
  for (const method of anyMethod) {
    router.add(method, /^\/drives\/([^/]+)(\/.+)$/, (ctx, [driveId, rest]) => itemRequest(ctx, requireDrive(ctx.tenant, driveId!), rest!));
  }
}
