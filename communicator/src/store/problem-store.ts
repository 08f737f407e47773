import type { TableStorage, TenantScope } from '@teamspro/core';
import type { DeliveryProblem } from '../api/contract.js';
import { keyPart } from '../domain/keys.js';
import { Tables } from './tables.js';

/** Row keys of problems in a message's counters partition. */
export const problemKeyPrefix = 'problem-';

/**
 * What went wrong with a message outside any one recipient's delivery: a job that failed for good, an
 * audience that could not be resolved. Kept in the message's partition of the counters table, so
 * deleting a message's counters (retention, offboarding) deletes them too; counter totals skip them.
 */
export class ProblemStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<DeliveryProblem>(Tables.counters); }

  /** `id` names the failure (e.g. the poisoned queue message): recording it again replaces it, so a repeated report counts once. */
  async add(scope: TenantScope, messageId: string, id: string, problem: Omit<DeliveryProblem, 'at'> & { at?: string }): Promise<void> {
    const at = problem.at ?? new Date().toISOString();
    await this.table(scope).upsert(messageId, `${problemKeyPrefix}${keyPart(id)}`, { at, what: problem.what.slice(0, 500), reason: problem.reason.slice(0, 2000) });
  }

  /** Oldest first. */
  async list(scope: TenantScope, messageId: string): Promise<DeliveryProblem[]> {
    const rows = await this.table(scope).listAll(messageId, { filter: `RowKey ge '${problemKeyPrefix}' and RowKey lt 'problem.'` });
    return rows.map((r) => ({ at: r.at, what: r.what, reason: r.reason })).sort((a, b) => a.at.localeCompare(b.at));
  }
}
