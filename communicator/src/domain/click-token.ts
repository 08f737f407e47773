import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Who clicked which button of which message; signed so nobody can forge or alter it. */
export type ClickPayload = { tenantId: string; messageId: string; recipientKey: string; variant: number; button: number };

const macBytes = 16;

export class ClickSigner {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = Buffer.from(key, 'utf8');
  }

  /**
   * The key: env CLICK_SIGNING_KEY; required in production (links must survive restarts and work
   * on every instance). Elsewhere a random per-process key, so links die with the process.
   */
  static fromEnvironment(explicit: string | undefined, isProduction: boolean): ClickSigner {
    const key = explicit ?? process.env.CLICK_SIGNING_KEY;
    if (key && key.length >= 32) return new ClickSigner(key);
    if (key) throw new Error('CLICK_SIGNING_KEY must be at least 32 characters');
    if (isProduction) throw new Error('CLICK_SIGNING_KEY is required when NODE_ENV=production (at least 32 random characters, the same on every instance)');
    return new ClickSigner(randomBytes(32).toString('base64url'));
  }

  sign(p: ClickPayload): string {
    const body = Buffer.from(JSON.stringify([p.tenantId, p.messageId, p.recipientKey, p.variant, p.button]), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload, or undefined when the token is malformed, forged or altered. */
  verify(token: string): ClickPayload | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || body.length > 2000) return undefined;
    const expected = Buffer.from(this.mac(body), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      if (!Array.isArray(value) || value.length !== 5) return undefined;
      const [tenantId, messageId, recipientKey, variant, button] = value as unknown[];
      if (typeof tenantId !== 'string' || typeof messageId !== 'string' || typeof recipientKey !== 'string') return undefined;
      if (!Number.isInteger(variant) || !Number.isInteger(button)) return undefined;
      return { tenantId, messageId, recipientKey, variant: variant as number, button: button as number };
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, macBytes).toString('base64url');
  }
}
