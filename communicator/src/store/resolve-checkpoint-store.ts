import type { BlobStorage, TenantScope } from '@teamspro/core';
import { Blobs } from './tables.js';

/** One page read from a paged source, and where the next page starts (none after the last page). */
export type CheckpointPage<T> = { items: T[]; next?: string };

/** Where a resolve of one message keeps the pages it has read, so a redelivered job resumes from the next. */
export type PagingCheckpoint = {
  load<T>(source: string): Promise<Array<CheckpointPage<T>>>;
  save<T>(source: string, pageNo: number, page: CheckpointPage<T>): Promise<void>;
};

/**
 * Checkpoints of audience resolution, one blob per page read (`<message>/<source>/<page>`): a
 * 100,000-member group is ~100 Graph pages, a 25,000-member team 50 roster pages, a 100,000-person
 * list 100 pages of directory lookups; a worker that dies part-way leaves the pages it read, and the
 * next delivery of the resolve job reads the rest only. Deleted once the recipient rows are written.
 */
export class ResolveCheckpointStore {
  constructor(private readonly blobStorage: BlobStorage) {}

  private blobs(scope: TenantScope) { return this.blobStorage.forTenant(scope).container(Blobs.resolve); }

  forMessage(scope: TenantScope, messageId: string): PagingCheckpoint {
    const blobs = this.blobs(scope);
    const prefix = (source: string) => `${messageId}/${source.replace(/[^A-Za-z0-9._-]/g, '_')}/`;
    return {
      async load<T>(source: string) {
        const names: string[] = [];
        for await (const name of blobs.list(prefix(source))) names.push(name);
        const pages: Array<CheckpointPage<T>> = [];
        // page numbers are zero-padded, so name order is page order; a gap (a page whose write failed) ends the run
        for (const [i, name] of names.sort().entries()) {
          if (name !== `${prefix(source)}${pageName(i)}`) break;
          const blob = await blobs.get(name);
          if (!blob) break;
          pages.push(JSON.parse(blob.data.toString('utf8')) as CheckpointPage<T>);
        }
        return pages;
      },
      async save<T>(source: string, pageNo: number, page: CheckpointPage<T>) {
        await blobs.put(`${prefix(source)}${pageName(pageNo)}`, Buffer.from(JSON.stringify(page)), 'application/json');
      },
    };
  }

  async clear(scope: TenantScope, messageId: string): Promise<void> {
    await this.blobs(scope).deleteAll(`${messageId}/`);
  }
}

const pageName = (pageNo: number) => String(pageNo).padStart(6, '0');
