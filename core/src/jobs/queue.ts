import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { decodeMessage, encodeMessage } from './codec.js';

/** Longest queue name that still leaves room for the "-poison" suffix within Azure's 63 characters. */
const maxNameLength = 63 - '-poison'.length;
const queueName = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
/** Queue messages expire after 7 days unless told otherwise; a job must never vanish that way. */
const neverExpire = -1;
const maxDelaySeconds = 7 * 24 * 3600;
const enqueueParallelism = 16;

export type EnqueueOptions = { delaySeconds?: number };

export type JobQueueOptions<T> = {
  /** Validates a decoded message (e.g. a zod schema's parse); a message it rejects goes to the poison queue. */
  parse?: (value: unknown) => T;
};

/** What the poison queue stores for each job that gave up. */
export type PoisonRecord = {
  job?: unknown;
  /** Original message text, kept when it could not be decoded into a job. */
  raw?: string;
  error: string;
  attempts: number;
  failedAt: string;
  messageId: string;
};

export type PoisonedJob<T> = {
  /** Id of the poison-queue message; pass it to requeuePoisoned. */
  id: string;
  /** Undefined when the original message could not be decoded; `raw` then holds its text. */
  job: T | undefined;
  raw?: string;
  error: string;
  attempts: number;
  failedAt: Date;
  /** Id the message had on the main queue. */
  originalMessageId: string;
};

/** One Azure Storage queue of JSON jobs, plus its poison queue `<name>-poison`. */
export class JobQueue<T> {
  readonly name: string;
  readonly poisonName: string;
  readonly client: QueueClient;
  readonly poisonClient: QueueClient;
  private readonly parse: (value: unknown) => T;

  static fromConnectionString<T>(connectionString: string, name: string, options: JobQueueOptions<T> = {}): JobQueue<T> {
    return new JobQueue<T>(QueueServiceClient.fromConnectionString(connectionString), name, options);
  }

  constructor(service: QueueServiceClient, name: string, options: JobQueueOptions<T> = {}) {
    if (name.length < 3 || name.length > maxNameLength || !queueName.test(name)) {
      throw new Error(`invalid queue name "${name}": use 3-${maxNameLength} lowercase letters, digits and single hyphens, starting and ending with a letter or digit`);
    }
    this.name = name;
    this.poisonName = `${name}-poison`;
    this.client = service.getQueueClient(name);
    this.poisonClient = service.getQueueClient(this.poisonName);
    this.parse = options.parse ?? ((value) => value as T);
  }

  async create(): Promise<void> {
    await Promise.all([this.client.createIfNotExists(), this.poisonClient.createIfNotExists()]);
  }

  /** Returns the message id. */
  async enqueue(job: T, { delaySeconds }: EnqueueOptions = {}): Promise<string> {
    const visibilityTimeout = delaySeconds && delaySeconds > 0 ? Math.min(maxDelaySeconds, Math.ceil(delaySeconds)) : undefined;
    const sent = await this.client.sendMessage(encodeMessage(job), { messageTimeToLive: neverExpire, visibilityTimeout });
    return sent.messageId;
  }

  /**
   * Storage Queues have no batch send, so this sends in parallel; ids come back in input order. `options`
   * may differ per job (a function of its index), e.g. to release a long list of jobs over time.
   */
  async enqueueMany(jobs: readonly T[], options: EnqueueOptions | ((index: number) => EnqueueOptions) = {}): Promise<string[]> {
    const ids: string[] = new Array(jobs.length);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const index = next++;
        ids[index] = await this.enqueue(jobs[index] as T, typeof options === 'function' ? options(index) : options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(enqueueParallelism, jobs.length) }, worker));
    return ids;
  }

  /** Decodes and validates a message's text; throws when it is not a job. */
  decode(text: string): T {
    return this.parse(decodeMessage(text));
  }

  /** Counts visible and invisible (in flight, delayed, backing off) messages. */
  async approximateCount(): Promise<number> {
    return (await this.client.getProperties()).approximateMessagesCount ?? 0;
  }

  async sendToPoison(record: PoisonRecord): Promise<void> {
    await this.poisonClient.sendMessage(encodeMessage(record), { messageTimeToLive: neverExpire });
  }

  /** The first 32 poisoned jobs (the most Peek Messages returns), oldest first. */
  async poisoned(): Promise<PoisonedJob<T>[]> {
    const { peekedMessageItems } = await this.poisonClient.peekMessages({ numberOfMessages: 32 });
    return peekedMessageItems.map((item) => toPoisonedJob<T>(item.messageId, item.messageText));
  }

  /**
   * Moves one poisoned job back to the main queue as a fresh message (attempts start again at 1).
   * Returns false when no poison message has that id.
   */
  async requeuePoisoned(id: string): Promise<boolean> {
    // Deleting needs a pop receipt, which only a receive gives; messages scanned past stay
    // hidden until the scan ends so each receive returns new ones, then are released.
    const held: { messageId: string; popReceipt: string }[] = [];
    try {
      for (;;) {
        const { receivedMessageItems } = await this.poisonClient.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
        if (receivedMessageItems.length === 0) return false;
        const item = receivedMessageItems.find((candidate) => candidate.messageId === id);
        held.push(...receivedMessageItems.filter((candidate) => candidate !== item));
        if (item) {
          const record = readPoisonRecord(item.messageText);
          const text = record.raw ?? encodeMessage(record.job ?? null);
          // Send before delete: a crash in between leaves a duplicate, never a lost job.
          await this.client.sendMessage(text, { messageTimeToLive: neverExpire });
          await this.poisonClient.deleteMessage(item.messageId, item.popReceipt);
          return true;
        }
      }
    } finally {
      await Promise.all(held.map((item) => this.poisonClient.updateMessage(item.messageId, item.popReceipt, undefined, 0)));
    }
  }
}

function readPoisonRecord(text: string): PoisonRecord {
  try {
    const value = decodeMessage(text) as Partial<PoisonRecord> | null;
    if (value && typeof value === 'object' && typeof value.error === 'string') return value as PoisonRecord;
  } catch {
    // not one of ours; reported below with its text
  }
  return { raw: text, error: 'unreadable poison record', attempts: 0, failedAt: new Date(0).toISOString(), messageId: '' };
}

function toPoisonedJob<T>(id: string, text: string): PoisonedJob<T> {
  const record = readPoisonRecord(text);
  return {
    id,
    job: record.job as T | undefined,
    ...(record.raw !== undefined ? { raw: record.raw } : {}),
    error: record.error,
    attempts: record.attempts,
    failedAt: new Date(record.failedAt),
    originalMessageId: record.messageId,
  };
}
