/**
 * Thrown by a handler to run the job again after `seconds` without treating it as a failure:
 * no backoff, logged at info. The dequeue still counts towards maxAttempts.
 */
export class RetryLater extends Error {
  constructor(readonly seconds: number, message = `retry in ${seconds}s requested`) {
    super(message);
    this.name = 'RetryLater';
  }
}
