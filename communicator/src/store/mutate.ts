import { HttpError, type Row, type TenantTable } from '@teamspro/core';

const maxTries = 12;

function isConflict(err: unknown): boolean {
  return err instanceof HttpError && (err.status === 412 || err.status === 409);
}

/**
 * Read-modify-write with optimistic concurrency: `change` sees the current row (or undefined) and
 * returns the new data, or undefined to leave it alone. Retries on a lost race.
 * Returns the row as written, or undefined when nothing was written.
 */
export async function mutateRow<T extends object>(
  table: TenantTable<T>,
  partition: string,
  rowKey: string,
  change: (current: Row<T> | undefined) => T | undefined,
): Promise<Row<T> | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await table.get(partition, rowKey);
    const next = change(current);
    if (next === undefined) return undefined;
    try {
      const etag = current ? await table.update(partition, rowKey, next, current.etag) : await table.create(partition, rowKey, next);
      return { ...next, partition, rowKey, etag } as Row<T>;
    } catch (err) {
      if (!isConflict(err) || attempt >= maxTries) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** Strips the storage bookkeeping fields from a row. */
export function dataOf<T extends object>(row: Row<T>): T {
  const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = row as Row<T> & Record<string, unknown>;
  return data as unknown as T;
}
