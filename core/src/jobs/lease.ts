import type { QueueClient } from '@azure/storage-queue';
import type { LoggerLike } from './logger.js';

/**
 * A received message's hold on the queue. Every update returns a new pop receipt that the next
 * update or the delete must use, so all operations on the message run one after another here.
 */
export class MessageLease {
  private popReceipt: string;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: QueueClient,
    readonly messageId: string,
    popReceipt: string,
    private readonly visibilitySeconds: number,
    private readonly logger: LoggerLike,
  ) {
    this.popReceipt = popReceipt;
  }

  /** Pushes the visibility timeout out again at half its length, so a slow handler keeps the message. */
  startRenewing(): void {
    this.timer = setInterval(() => {
      this.serially(() => this.setVisibility(this.visibilitySeconds)).catch((err: unknown) => {
        this.stopRenewing();
        this.logger.warn({ err, messageId: this.messageId }, 'lost the lease on a job: another worker may run it again');
      });
    }, (this.visibilitySeconds * 1000) / 2);
  }

  stopRenewing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Makes the message visible again after `seconds`. */
  release(seconds: number): Promise<void> {
    this.stopRenewing();
    return this.serially(() => this.setVisibility(seconds));
  }

  delete(): Promise<void> {
    this.stopRenewing();
    return this.serially(async () => {
      await this.client.deleteMessage(this.messageId, this.popReceipt);
    });
  }

  private async setVisibility(seconds: number): Promise<void> {
    const updated = await this.client.updateMessage(this.messageId, this.popReceipt, undefined, seconds);
    if (updated.popReceipt) this.popReceipt = updated.popReceipt;
  }

  private serially<R>(operation: () => Promise<R>): Promise<R> {
    const result = this.chain.then(operation);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
