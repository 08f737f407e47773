import { TokenSigner } from '@teamspro/core';

/** Who clicked which button of which message; signed so nobody can forge or alter it. */
export type ClickPayload = { tenantId: string; messageId: string; recipientKey: string; variant: number; button: number };

export class ClickSigner {
  /** the underlying signer; other signed links (gallery images) derive theirs from it, with the same key */
  readonly tokens: TokenSigner;

  constructor(key: string | TokenSigner) {
    this.tokens = typeof key === 'string' ? new TokenSigner(key) : key;
  }

  /**
   * The key: env CLICK_SIGNING_KEY; required in production (links must survive restarts and work
   * on every instance). Elsewhere a random per-process key, so links die with the process.
   */
  static fromEnvironment(explicit: string | undefined, isProduction: boolean): ClickSigner {
    return new ClickSigner(TokenSigner.fromEnvironment(explicit, isProduction, 'CLICK_SIGNING_KEY'));
  }

  sign(p: ClickPayload): string {
    return this.tokens.sign([p.tenantId, p.messageId, p.recipientKey, p.variant, p.button]);
  }

  /** The payload, or undefined when the token is malformed, forged or altered. */
  verify(token: string): ClickPayload | undefined {
    const value = this.tokens.verify(token);
    if (!value || value.length !== 5) return undefined;
    const [tenantId, messageId, recipientKey, variant, button] = value;
    if (typeof tenantId !== 'string' || typeof messageId !== 'string' || typeof recipientKey !== 'string') return undefined;
    if (!Number.isInteger(variant) || !Number.isInteger(button)) return undefined;
    return { tenantId, messageId, recipientKey, variant: variant as number, button: button as number };
  }
}
