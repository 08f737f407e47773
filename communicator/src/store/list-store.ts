import { ulid } from 'ulid';
import type { TableStorage, TenantScope } from '@teamspro/core';
import type { UploadedList } from '../api/contract.js';
import { keyPart } from '../domain/keys.js';
import { chunks } from '../domain/parallel.js';
import { Tables } from './tables.js';

type ListRecord = Omit<UploadedList, 'id'> & { createdBy: string };
type MemberRecord = { upn: string };

const LISTS = 'lists';
const membersOf = (listId: string) => `members-${listId}`;
/** The rejected rows kept with a list (the upload answer has them all). */
const maxStoredRejections = 200;

/** Uploaded distribution lists: the list (name, counts, rejected rows) and its UPNs, one row each. */
export class ListStore {
  constructor(private readonly storage: TableStorage) {}

  private table<T extends object>(scope: TenantScope) { return this.storage.forTenant(scope).table<T>(Tables.lists); }

  async create(scope: TenantScope, input: { name: string; upns: string[]; rejected: UploadedList['rejected']; createdBy: string }): Promise<UploadedList> {
    const id = ulid();
    const members = this.table<MemberRecord>(scope);
    // members first: a list row only appears once all its members are stored
    for (const chunk of chunks(input.upns, 100)) {
      await members.batch(membersOf(id), chunk.map((upn) => ({ kind: 'upsert' as const, rowKey: keyPart(upn), data: { upn } })));
    }
    const record: ListRecord = {
      name: input.name, count: input.upns.length, rejected: input.rejected.slice(0, maxStoredRejections), createdAt: new Date().toISOString(), createdBy: input.createdBy,
    };
    await this.table<ListRecord>(scope).create(LISTS, id, record);
    return { id, name: record.name, count: record.count, rejected: input.rejected, createdAt: record.createdAt };
  }

  async list(scope: TenantScope): Promise<UploadedList[]> {
    const rows = await this.table<ListRecord>(scope).listAll(LISTS);
    return rows.reverse().map((r) => ({ id: r.rowKey, name: r.name, count: r.count, rejected: r.rejected ?? [], createdAt: r.createdAt }));
  }

  async get(scope: TenantScope, id: string): Promise<UploadedList | undefined> {
    const r = await this.table<ListRecord>(scope).get(LISTS, id);
    return r && { id: r.rowKey, name: r.name, count: r.count, rejected: r.rejected ?? [], createdAt: r.createdAt };
  }

  async members(scope: TenantScope, id: string): Promise<string[]> {
    const rows = await this.table<MemberRecord>(scope).listAll(membersOf(id));
    return rows.map((r) => r.upn);
  }
}
