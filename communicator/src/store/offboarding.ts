import type { TenantScope } from '@teamspro/core';
import type { OffboardResult } from '../api/contract.js';
import type { Services } from '../services.js';
import { allBlobKinds, allTables } from './tables.js';

/**
 * Erases everything the app keeps for one tenant: every row of every communicator table (`allTables`),
 * the tenant's installs in core's installation table, and its blobs (`allBlobKinds`: gallery images).
 * Sends still running are canceled first, so workers in other processes stop within their status cache
 * time instead of writing on. Other tenants' rows are never listed (core scopes every read to the tenant).
 * Safe to run again: a second run finds nothing, or only what a worker in flight wrote meanwhile.
 */
export async function offboardTenant(s: Services, scope: TenantScope): Promise<OffboardResult> {
  for (const m of await s.messages.list(scope, ['scheduled', 'queued', 'resolving', 'sending'])) {
    await s.messages.transition(scope, m.rowKey, [m.status], 'canceled', { statusReason: 'the tenant was offboarded' });
  }
  const tables = s.ctx.storage.forTenant(scope);
  let rowsDeleted = 0;
  for (const kind of allTables) rowsDeleted += await tables.table(kind).deleteAllRows();
  rowsDeleted += await s.ctx.installations.eraseTenant(scope);
  const blobsDeleted = await s.ctx.blobs.forTenant(scope).eraseAll(allBlobKinds);
  s.forgetTenant(scope);
  return { tablesCleared: allTables.length + 1, rowsDeleted, blobsDeleted };
}
