import { randomUUID } from 'node:crypto';
import { RestError } from '@azure/data-tables';
import type { TableStorage } from './table-store.js';

const TABLE = 'systemleases';
const PARTITION = 'lease';

type LeaseEntity = { partitionKey: string; rowKey: string; holder: string; until: number };

const lostRace = (err: unknown) => err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);

/**
 * SYSTEM JOBS ONLY: a named lease in table storage, shared by every process on the same storage
 * account (and prefix), so that a periodic job (a retention sweep) runs in one process at a time, or
 * once per interval across all of them. Not tenant data: it lives in its own table, outside the
 * tenant-prefixed keys.
 *
 * Taking it is an ETag-conditional write, so of two processes racing for a free lease one wins. It lapses
 * by itself at `until` (a process that dies holding it blocks the others for at most that long).
 * Clocks of the processes are assumed roughly in step.
 */
export class SystemLease {
  readonly holder: string;

  constructor(private readonly storage: TableStorage, readonly name: string, holder?: string) {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(name)) throw new Error(`invalid lease name ${name}`);
    this.holder = holder ?? randomUUID();
  }

  private async read(): Promise<(LeaseEntity & { etag?: string }) | undefined> {
    const client = await this.storage.client(TABLE);
    try {
      return await client.getEntity<LeaseEntity>(PARTITION, this.name);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  private async write(current: { etag?: string } | undefined, until: number): Promise<boolean> {
    const client = await this.storage.client(TABLE);
    const entity: LeaseEntity = { partitionKey: PARTITION, rowKey: this.name, holder: this.holder, until };
    try {
      if (current) await client.updateEntity(entity, 'Replace', { etag: current.etag });
      else await client.createEntity(entity);
      return true;
    } catch (err) {
      if (lostRace(err)) return false; // another process wrote it between our read and our write
      throw err;
    }
  }

  /** Takes the lease for `durationMs` if nobody holds it (never taken, or lapsed), whoever held it last. */
  async tryAcquire(durationMs: number): Promise<boolean> {
    const current = await this.read();
    if (current && Number(current.until) > Date.now()) return false;
    return this.write(current, Date.now() + durationMs);
  }

  /** Extends the lease this holder has (even lapsed, as long as nobody took it since); false if another holder has it. */
  async renew(durationMs: number): Promise<boolean> {
    const current = await this.read();
    if (!current || current.holder !== this.holder) return false;
    return this.write(current, Date.now() + durationMs);
  }

  /** Gives the lease up early if this holder has it, so the next run need not wait for it to lapse. */
  async release(): Promise<void> {
    const current = await this.read();
    if (!current || current.holder !== this.holder) return;
    await this.write(current, 0);
  }
}
