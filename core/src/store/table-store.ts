import { RestError, TableClient, TableServiceClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { conflict, HttpError, notFound, preconditionFailed } from '../http/errors.js';
import type { TenantScope } from '../identity/identity.js';

export type Row<T> = T & { partition: string; rowKey: string; etag: string; updatedAt?: string };

export type BatchOperation<T> =
  | { kind: 'upsert'; rowKey: string; data: T }
  | { kind: 'create'; rowKey: string; data: T }
  | { kind: 'delete'; rowKey: string }
  /**
   * replaces the row only if its ETag still matches: the whole transaction fails with 412 otherwise.
   * `read` is the row as it was read with that ETag: when `data` sets every column it had, the write
   * goes as a Merge, which stores the same entity and costs the store less than a Replace.
   */
  | { kind: 'update'; rowKey: string; data: T; etag: string; read?: T };

const JSON_SUFFIX = '__json';
/** Tries of a read-modify-write before a lost race is reported. */
const MAX_MUTATE_TRIES = 12;
/** Characters Azure Tables forbid in keys, plus our separator. */
const forbiddenKeyChars = /[\\/#?\u0000-\u001f\u007f-\u009f|]/;
const MAX_BATCH = 100;

function assertKey(kind: string, value: string) {
  if (!value || value.length > 512 || forbiddenKeyChars.test(value)) {
    throw new HttpError(400, 'bad_key', `${kind} "${value.slice(0, 40)}" is empty, too long or holds a character that is not allowed (\\ / # ? | or control characters).`);
  }
}

/** Objects and arrays are stored as JSON strings; primitives as columns, so they stay filterable. */
function toEntity(partitionKey: string, rowKey: string, data: object): TableEntity {
  const entity: TableEntity = { partitionKey, rowKey };
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || key === 'partition' || key === 'rowKey' || key === 'etag' || key === 'updatedAt') continue;
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) entity[key + JSON_SUFFIX] = JSON.stringify(value);
    else entity[key] = value;
  }
  return entity;
}

/** Whether merging `next` into `stored` leaves exactly `next`: it sets (to a value) every column `stored` has. */
function setsEveryColumn(next: TableEntity, stored: TableEntity): boolean {
  if (Object.values(next).some((value) => value === null)) return false;
  return Object.keys(stored).every((key) => stored[key] === null || key in next);
}

function fromEntity<T>(tenantPrefix: string, entity: Record<string, unknown>): Row<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key === 'partitionKey' || key === 'rowKey' || key === 'timestamp' || key === 'etag' || key === 'odata.metadata') continue;
    if (key.endsWith(JSON_SUFFIX) && typeof value === 'string') out[key.slice(0, -JSON_SUFFIX.length)] = JSON.parse(value);
    else out[key] = value;
  }
  out.partition = String(entity.partitionKey).slice(tenantPrefix.length);
  out.rowKey = entity.rowKey;
  out.etag = entity.etag;
  if (entity.timestamp) out.updatedAt = String(entity.timestamp);
  return out as Row<T>;
}

function isLostRace(err: unknown): boolean {
  return err instanceof HttpError && (err.status === 412 || err.status === 409);
}

/** Strips the storage bookkeeping fields (partition, rowKey, etag, updatedAt) from a row. */
export function dataOf<T extends object>(row: Row<T>): T {
  const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = row as Row<T> & Record<string, unknown>;
  return data as unknown as T;
}

function mapStorageError(err: unknown, what: string): never {
  if (err instanceof RestError) {
    if (err.statusCode === 404) throw notFound(`${what} was not found.`);
    if (err.statusCode === 409) throw conflict(`${what} already exists.`);
    if (err.statusCode === 412) throw preconditionFailed();
  }
  throw err;
}

/**
 * Entry point to Azure Table storage. It hands out tables only for a tenant scope, and every key
 * it writes starts with that tenant id: there is no way to read another tenant's rows through it.
 */
export class TableStorage {
  private readonly ready = new Map<string, Promise<TableClient>>();

  constructor(private readonly connectionString: string, private readonly prefix = 'tp') {}

  private tableName(kind: string): string {
    const name = `${this.prefix}${kind}`.replace(/[^A-Za-z0-9]/g, '');
    if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) throw new Error(`invalid table name ${name}`);
    return name;
  }

  /** The Azure SDK client for a table, created once if missing. */
  client(kind: string): Promise<TableClient> {
    const name = this.tableName(kind);
    let pending = this.ready.get(name);
    if (!pending) {
      const client = TableClient.fromConnectionString(this.connectionString, name, { allowInsecureConnection: true });
      pending = client.createTable().then(() => client);
      pending.catch(() => this.ready.delete(name));
      this.ready.set(name, pending);
    }
    return pending;
  }

  forTenant(scope: TenantScope): TenantTables {
    assertKey('Tenant id', scope.tenantId);
    return new TenantTables(this, scope.tenantId);
  }

  /**
   * SYSTEM JOBS ONLY (retention sweeps and other timers) — never call this from a request handler:
   * it is the one read that crosses tenants. Lists the tenant ids that have at least one row in a table,
   * optionally only rows matching an OData `filter` on columns. It scans the table: meant for small
   * per-tenant tables such as settings.
   */
  async listTenantsForSystemJob(kind: string, opts: { filter?: string } = {}): Promise<string[]> {
    const client = await this.client(kind);
    const tenants = new Set<string>();
    const entities = client.listEntities<Record<string, unknown>>({ queryOptions: { select: ['PartitionKey'], ...(opts.filter ? { filter: opts.filter } : {}) } });
    for await (const entity of entities) {
      const pk = String(entity.partitionKey ?? '');
      const bar = pk.indexOf('|');
      if (bar > 0) tenants.add(pk.slice(0, bar));
    }
    return [...tenants].sort();
  }

  /** Checks the table service answers, for /readyz. */
  async ping(): Promise<void> {
    const service = TableServiceClient.fromConnectionString(this.connectionString, { allowInsecureConnection: true });
    const tables = service.listTables();
    await tables.next();
  }
}

export class TenantTables {
  constructor(private readonly storage: TableStorage, readonly tenantId: string) {}

  table<T extends object>(kind: string): TenantTable<T> {
    return new TenantTable<T>(this.storage, kind, this.tenantId);
  }

  /** Offboarding: deletes every row of this tenant in the given tables. Returns how many rows went. */
  async eraseAll(kinds: string[]): Promise<number> {
    let count = 0;
    for (const kind of kinds) count += await this.table(kind).deleteAllRows();
    return count;
  }
}

export class TenantTable<T extends object> {
  private readonly keyPrefix: string;

  constructor(private readonly storage: TableStorage, readonly kind: string, tenantId: string) {
    this.keyPrefix = `${tenantId}|`;
  }

  private pk(partition: string) {
    assertKey('Partition', partition);
    return this.keyPrefix + partition;
  }

  private describe(partition: string, rowKey: string) { return `${this.kind} ${partition}/${rowKey}`; }

  async get(partition: string, rowKey: string): Promise<Row<T> | undefined> {
    assertKey('Row key', rowKey);
    const client = await this.storage.client(this.kind);
    try {
      return fromEntity<T>(this.keyPrefix, await client.getEntity(this.pk(partition), rowKey));
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async require(partition: string, rowKey: string): Promise<Row<T>> {
    const row = await this.get(partition, rowKey);
    if (!row) throw notFound(`${this.kind} was not found.`);
    return row;
  }

  /** Creates the row; 409 if it exists. Returns the new etag. */
  async create(partition: string, rowKey: string, data: T): Promise<string> {
    assertKey('Row key', rowKey);
    const client = await this.storage.client(this.kind);
    try {
      return (await client.createEntity(toEntity(this.pk(partition), rowKey, data))).etag ?? '';
    } catch (err) { return mapStorageError(err, this.describe(partition, rowKey)); }
  }

  async upsert(partition: string, rowKey: string, data: T): Promise<string> {
    assertKey('Row key', rowKey);
    const client = await this.storage.client(this.kind);
    return (await client.upsertEntity(toEntity(this.pk(partition), rowKey, data), 'Replace')).etag ?? '';
  }

  /** Replaces the row only if its etag still matches (optimistic concurrency); 412 otherwise. */
  async update(partition: string, rowKey: string, data: T, etag: string): Promise<string> {
    assertKey('Row key', rowKey);
    const client = await this.storage.client(this.kind);
    try {
      return (await client.updateEntity(toEntity(this.pk(partition), rowKey, data), 'Replace', { etag })).etag ?? '';
    } catch (err) { return mapStorageError(err, this.describe(partition, rowKey)); }
  }

  /**
   * Read-modify-write with optimistic concurrency: `change` sees the current row (or undefined) and
   * returns the new data, or undefined to leave it alone. A lost race (412, or 409 when two create the
   * row) reads again and retries. Returns the row as written, or undefined when nothing was written.
   * `known`: the row as the caller last saw it (null: known not to exist), tried first instead of a read;
   * if it is stale the write loses the race and the row is read.
   */
  async mutate(partition: string, rowKey: string, change: (current: Row<T> | undefined) => T | undefined, { known }: { known?: Row<T> | null } = {}): Promise<Row<T> | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 && known !== undefined ? known ?? undefined : await this.get(partition, rowKey);
      const next = change(current);
      if (next === undefined) return undefined;
      try {
        const etag = current ? await this.update(partition, rowKey, next, current.etag) : await this.create(partition, rowKey, next);
        return { ...next, partition, rowKey, etag } as Row<T>;
      } catch (err) {
        if (!isLostRace(err) || attempt >= MAX_MUTATE_TRIES) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  /** Merges the given columns into the row (no etag: last writer wins per column). */
  async merge(partition: string, rowKey: string, data: Partial<T>): Promise<string> {
    assertKey('Row key', rowKey);
    const client = await this.storage.client(this.kind);
    try {
      return (await client.updateEntity(toEntity(this.pk(partition), rowKey, data), 'Merge')).etag ?? '';
    } catch (err) { return mapStorageError(err, this.describe(partition, rowKey)); }
  }

  async delete(partition: string, rowKey: string, etag?: string): Promise<void> {
    assertKey('Row key', rowKey);
    const client = await this.storage.client(this.kind);
    try {
      await client.deleteEntity(this.pk(partition), rowKey, etag ? { etag } : undefined);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return;
      mapStorageError(err, this.describe(partition, rowKey));
    }
  }

  /** Rows of one partition, in row key order. `filter` is an extra OData condition on columns. */
  async *list(partition: string, opts: { filter?: string; pageSize?: number } = {}): AsyncGenerator<Row<T>> {
    const client = await this.storage.client(this.kind);
    const pk = this.pk(partition).replace(/'/g, "''");
    const filter = `PartitionKey eq '${pk}'` + (opts.filter ? ` and (${opts.filter})` : '');
    const pages = client.listEntities({ queryOptions: { filter } }).byPage({ maxPageSize: opts.pageSize ?? 1000 });
    for await (const page of pages) for (const entity of page) yield fromEntity<T>(this.keyPrefix, entity);
  }

  async listAll(partition: string, opts: { filter?: string } = {}): Promise<Row<T>[]> {
    const rows: Row<T>[] = [];
    for await (const row of this.list(partition, opts)) rows.push(row);
    return rows;
  }

  /**
   * Rows of every partition named `prefix` or starting with `prefix`, ordered by partition then row key
   * (for data spread over shard partitions such as "<id>~00", "<id>~01"…). `after` resumes behind a row.
   */
  async *listFamily(prefix: string, opts: { filter?: string; after?: { partition: string; rowKey: string }; pageSize?: number } = {}): AsyncGenerator<Row<T>> {
    const client = await this.storage.client(this.kind);
    const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const lower = this.pk(prefix);
    // the smallest string above every "<prefix>…": the prefix with its last character raised by one
    const upper = lower.slice(0, -1) + String.fromCharCode(lower.charCodeAt(lower.length - 1) + 1);
    const clauses = [`PartitionKey ge ${quote(lower)} and PartitionKey lt ${quote(upper)}`];
    if (opts.after) {
      const pk = quote(this.pk(opts.after.partition));
      assertKey('Row key', opts.after.rowKey);
      clauses.push(`(PartitionKey gt ${pk} or (PartitionKey eq ${pk} and RowKey gt ${quote(opts.after.rowKey)}))`);
    }
    if (opts.filter) clauses.push(`(${opts.filter})`);
    const pages = client.listEntities({ queryOptions: { filter: clauses.join(' and ') } }).byPage({ maxPageSize: opts.pageSize ?? 1000 });
    for await (const page of pages) for (const entity of page) yield fromEntity<T>(this.keyPrefix, entity);
  }

  /**
   * Atomic per chunk of 100 (the Table service's transaction limit); chunks run in order.
   * Returns the new ETag of each row written (by row key).
   */
  async batch(partition: string, operations: BatchOperation<T>[]): Promise<Map<string, string>> {
    const client = await this.storage.client(this.kind);
    const pk = this.pk(partition);
    const etags = new Map<string, string>();
    for (let i = 0; i < operations.length; i += MAX_BATCH) {
      const ops = operations.slice(i, i + MAX_BATCH);
      const chunk = ops.map((op): TransactionAction => {
        assertKey('Row key', op.rowKey);
        if (op.kind === 'delete') return ['delete', { partitionKey: pk, rowKey: op.rowKey }];
        if (op.kind === 'create') return ['create', toEntity(pk, op.rowKey, op.data)];
        if (op.kind === 'update') {
          const entity = toEntity(pk, op.rowKey, op.data);
          const mode = op.read && setsEveryColumn(entity, toEntity(pk, op.rowKey, op.read)) ? 'Merge' : 'Replace';
          return ['update', entity, mode, { etag: op.etag }];
        }
        return ['upsert', toEntity(pk, op.rowKey, op.data), 'Replace'];
      });
      try {
        const response = await client.submitTransaction(chunk);
        // sub-responses come in the order of the operations; only some carry their row key
        response.subResponses.forEach((sub, j) => { if (sub.etag && ops[j]!.kind !== 'delete') etags.set(ops[j]!.rowKey, sub.etag); });
      } catch (err) { mapStorageError(err, `${this.kind} batch in ${partition}`); }
    }
    return etags;
  }

  /**
   * Deletes rows of one partition in transactions of 100. Idempotent: rows already gone are skipped
   * (a chunk that fails on a missing row is deleted row by row), so two processes may run it at once.
   */
  async deleteRows(partition: string, rowKeys: string[]): Promise<void> {
    for (let i = 0; i < rowKeys.length; i += MAX_BATCH) {
      const chunk = rowKeys.slice(i, i + MAX_BATCH);
      try {
        await this.batch(partition, chunk.map((rowKey) => ({ kind: 'delete' as const, rowKey })));
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 404)) throw err;
        for (const rowKey of chunk) await this.delete(partition, rowKey);
      }
    }
  }

  /** Every row of this tenant in this table, across partitions. */
  async *listTenant(): AsyncGenerator<Row<T>> {
    const client = await this.storage.client(this.kind);
    // '|' + 1 is '}', so this range holds exactly the keys starting with "<tenant>|"
    const lower = this.keyPrefix.replace(/'/g, "''");
    const upper = (this.keyPrefix.slice(0, -1) + '}').replace(/'/g, "''");
    const filter = `PartitionKey ge '${lower}' and PartitionKey lt '${upper}'`;
    for await (const entity of client.listEntities({ queryOptions: { filter } })) yield fromEntity<T>(this.keyPrefix, entity);
  }

  async deleteAllRows(): Promise<number> {
    const byPartition = new Map<string, string[]>();
    for await (const row of this.listTenant()) {
      const keys = byPartition.get(row.partition) ?? [];
      keys.push(row.rowKey);
      byPartition.set(row.partition, keys);
    }
    let count = 0;
    for (const [partition, keys] of byPartition) {
      await this.deleteRows(partition, keys);
      count += keys.length;
    }
    return count;
  }
}
