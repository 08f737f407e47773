import type { TableStorage, TenantScope } from '@teamspro/core';
import { keyPart } from '../domain/keys.js';
import { mapLimit } from '../domain/parallel.js';
import { Tables } from './tables.js';

/** What the app learned about a person from rosters and 1:1 chats it created, keyed by AAD object id. */
export type Person = {
  aadId: string;
  teamsUserId?: string;
  name?: string;
  upn?: string;
  locale?: string;
  /** a 1:1 chat the bot created with them, and where */
  conversationId?: string;
  serviceUrl?: string;
};

const PARTITION = 'users';

export class PeopleStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<Person>(Tables.people); }

  get(scope: TenantScope, aadId: string): Promise<Person | undefined> {
    return this.table(scope).get(PARTITION, keyPart(aadId.toLowerCase()));
  }

  async all(scope: TenantScope): Promise<Map<string, Person>> {
    const rows = await this.table(scope).listAll(PARTITION);
    return new Map(rows.map((r) => [r.aadId.toLowerCase(), r]));
  }

  /** Merges what is known (missing fields keep their stored values). */
  async remember(scope: TenantScope, people: Person[]): Promise<void> {
    const table = this.table(scope);
    await mapLimit(people, 8, async (p) => {
      const data = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== '')) as Person;
      try {
        await table.merge(PARTITION, keyPart(p.aadId.toLowerCase()), data);
      } catch {
        await table.upsert(PARTITION, keyPart(p.aadId.toLowerCase()), data);
      }
    });
  }
}
