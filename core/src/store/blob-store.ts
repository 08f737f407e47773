import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';
import { HttpError, preconditionFailed } from '../http/errors.js';
import type { TenantScope } from '../identity/identity.js';

export type StoredBlob = { data: Buffer; contentType: string; etag: string };

/** What may follow the tenant id in a blob name: path segments of safe characters, no "." or ".." segment. */
const safeName = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;
const safeTenant = /^[A-Za-z0-9._-]{1,128}$/;

function assertName(what: string, value: string, pattern: RegExp) {
  if (value.length > 512 || !pattern.test(value)) {
    throw new HttpError(400, 'bad_key', `${what} "${value.slice(0, 40)}" is empty, too long or holds a character that is not allowed.`);
  }
}

function isStatus(err: unknown, status: number): boolean {
  return err instanceof RestError && err.statusCode === status;
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  if (!stream) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * Entry point to Azure Blob storage, the counterpart of TableStorage: one container per kind (named
 * storage prefix + kind, created on first use), handed out only for a tenant scope, and every blob name
 * it writes or reads starts with "<tenant id>/": there is no way to reach another tenant's blobs through it.
 */
export class BlobStorage {
  private readonly service: BlobServiceClient;
  private readonly ready = new Map<string, Promise<ContainerClient>>();

  constructor(connectionString: string, private readonly prefix = 'tp') {
    this.service = BlobServiceClient.fromConnectionString(connectionString);
  }

  private containerName(kind: string): string {
    const name = `${this.prefix}${kind}`.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (!/^[a-z0-9]{3,63}$/.test(name)) throw new Error(`invalid container name ${name}`);
    return name;
  }

  /** The Azure SDK client for a container, created once if missing. */
  container(kind: string): Promise<ContainerClient> {
    const name = this.containerName(kind);
    let pending = this.ready.get(name);
    if (!pending) {
      const client = this.service.getContainerClient(name);
      pending = client.createIfNotExists().then(() => client);
      pending.catch(() => this.ready.delete(name));
      this.ready.set(name, pending);
    }
    return pending;
  }

  forTenant(scope: TenantScope): TenantBlobs {
    assertName('Tenant id', scope.tenantId, safeTenant);
    return new TenantBlobs(this, scope.tenantId);
  }
}

export class TenantBlobs {
  constructor(private readonly storage: BlobStorage, readonly tenantId: string) {}

  container(kind: string): TenantBlobContainer {
    return new TenantBlobContainer(this.storage, kind, this.tenantId);
  }

  /** Offboarding: deletes every blob of this tenant in the given kinds. Returns how many went. */
  async eraseAll(kinds: readonly string[]): Promise<number> {
    let count = 0;
    for (const kind of kinds) count += await this.container(kind).deleteAll();
    return count;
  }
}

/** One tenant's blobs of one kind; names are relative to the tenant ("images/abc/1"). */
export class TenantBlobContainer {
  private readonly namePrefix: string;

  constructor(private readonly storage: BlobStorage, readonly kind: string, tenantId: string) {
    this.namePrefix = `${tenantId}/`;
  }

  private fullName(name: string): string {
    assertName('Blob name', name, safeName);
    return this.namePrefix + name;
  }

  /** Writes the blob (replacing it unless `ifNoneExists`, which gives 412 when it exists). Returns the new etag. */
  async put(name: string, data: Buffer, contentType: string, opts: { ifNoneExists?: boolean } = {}): Promise<string> {
    const client = (await this.storage.container(this.kind)).getBlockBlobClient(this.fullName(name));
    try {
      const res = await client.upload(data, data.length, {
        blobHTTPHeaders: { blobContentType: contentType },
        conditions: opts.ifNoneExists ? { ifNoneMatch: '*' } : undefined,
      });
      return res.etag ?? '';
    } catch (err) {
      if (isStatus(err, 409) || isStatus(err, 412)) throw preconditionFailed('The file already exists.');
      throw err;
    }
  }

  async get(name: string): Promise<StoredBlob | undefined> {
    const client = (await this.storage.container(this.kind)).getBlobClient(this.fullName(name));
    try {
      const res = await client.download();
      return { data: await readAll(res.readableStreamBody), contentType: res.contentType ?? 'application/octet-stream', etag: res.etag ?? '' };
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  /** Deletes the blob; true if it existed. */
  async delete(name: string): Promise<boolean> {
    const client = (await this.storage.container(this.kind)).getBlobClient(this.fullName(name));
    return (await client.deleteIfExists()).succeeded;
  }

  /** Names (relative to the tenant) of the blobs starting with `prefix`; all of the tenant's without one. */
  async *list(prefix = ''): AsyncGenerator<string> {
    const container = await this.storage.container(this.kind);
    for await (const blob of container.listBlobsFlat({ prefix: this.namePrefix + prefix })) yield blob.name.slice(this.namePrefix.length);
  }

  /** Deletes the blobs starting with `prefix` (all of this tenant's in this kind without one). Returns how many went. */
  async deleteAll(prefix = ''): Promise<number> {
    const names: string[] = [];
    for await (const name of this.list(prefix)) names.push(name);
    let count = 0;
    for (const name of names) if (await this.delete(name)) count++;
    return count;
  }
}
