import type { TableStorage, TenantScope } from '@teamspro/core';
import type { Settings } from '../api/contract.js';
import { Tables } from './tables.js';

type SettingsRecord = { authors: string[]; retentionDays: number; proactiveInstall?: boolean };

const PARTITION = 'settings';
const ROW = 'settings';
const cacheMs = 5000;

export class SettingsStore {
  private readonly cache = new Map<string, { value: Settings; until: number }>();

  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<SettingsRecord>(Tables.settings); }

  async get(scope: TenantScope): Promise<Settings> {
    const row = await this.table(scope).get(PARTITION, ROW);
    const value: Settings = row
      ? { authors: row.authors ?? [], retentionDays: row.retentionDays ?? 0, proactiveInstall: row.proactiveInstall === true, etag: row.etag }
      : { authors: [], retentionDays: 0, proactiveInstall: false };
    this.cache.set(scope.tenantId, { value, until: Date.now() + cacheMs });
    return value;
  }

  /** Settings as of at most a few seconds ago: role checks run on every author request. */
  async cached(scope: TenantScope): Promise<Settings> {
    const hit = this.cache.get(scope.tenantId);
    return hit && hit.until > Date.now() ? hit.value : this.get(scope);
  }

  /** Drops the cached settings of a tenant (after offboarding). */
  forget(scope: TenantScope): void {
    this.cache.delete(scope.tenantId);
  }

  /** Saves; with an etag only if nobody changed the settings since (412 otherwise). */
  async save(scope: TenantScope, settings: SettingsRecord, etag?: string): Promise<Settings> {
    const table = this.table(scope);
    const record: SettingsRecord = { authors: settings.authors, retentionDays: settings.retentionDays, proactiveInstall: settings.proactiveInstall === true };
    const newEtag = etag ? await table.update(PARTITION, ROW, record, etag) : await table.upsert(PARTITION, ROW, record);
    const value: Settings = { ...record, proactiveInstall: record.proactiveInstall === true, etag: newEtag };
    this.cache.set(scope.tenantId, { value, until: Date.now() + cacheMs });
    return value;
  }
}
