import { ulid } from 'ulid';
import type { TableStorage, TenantScope } from '@teamspro/core';
import type { Topic, TopicInput } from '../api/contract.js';
import { Tables } from './tables.js';

type TopicRecord = { name: string; description: string };

const PARTITION = 'topics';

export class TopicStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<TopicRecord>(Tables.topics); }

  async list(scope: TenantScope): Promise<Topic[]> {
    const rows = await this.table(scope).listAll(PARTITION);
    return rows.map((r) => ({ id: r.rowKey, name: r.name, description: r.description ?? '', etag: r.etag })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(scope: TenantScope, id: string): Promise<Topic | undefined> {
    const row = await this.table(scope).get(PARTITION, id);
    return row && { id: row.rowKey, name: row.name, description: row.description ?? '', etag: row.etag };
  }

  async create(scope: TenantScope, input: TopicInput): Promise<Topic> {
    const id = ulid();
    const record = { name: input.name, description: input.description ?? '' };
    const etag = await this.table(scope).create(PARTITION, id, record);
    return { id, ...record, etag };
  }

  async update(scope: TenantScope, id: string, input: TopicInput, etag: string): Promise<Topic> {
    await this.table(scope).require(PARTITION, id);
    const record = { name: input.name, description: input.description ?? '' };
    const newEtag = await this.table(scope).update(PARTITION, id, record, etag);
    return { id, ...record, etag: newEtag };
  }

  async delete(scope: TenantScope, id: string): Promise<void> {
    await this.table(scope).delete(PARTITION, id);
  }
}
