import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const macBytes = 16;
const maxBodyLength = 2000;

/**
 * Signs small JSON arrays into URL-safe tokens ("<base64url body>.<mac>") that nobody without the key
 * can forge or alter, e.g. for links that work without sign-in. Signers made with `forPurpose` share
 * the key but not the tokens: a token signed for one purpose never verifies for another.
 */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(key: string | Buffer, private readonly purpose = '') {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  }

  /**
   * The key from `explicit`, else the environment variable `envName`; at least 32 characters, and required
   * in production (tokens must survive restarts and verify on every instance). Elsewhere, without one,
   * a random per-process key: tokens then die with the process.
   */
  static fromEnvironment(explicit: string | undefined, isProduction: boolean, envName = 'CLICK_SIGNING_KEY'): TokenSigner {
    const key = explicit ?? process.env[envName];
    if (key && key.length >= 32) return new TokenSigner(key);
    if (key) throw new Error(`${envName} must be at least 32 characters`);
    if (isProduction) throw new Error(`${envName} is required when NODE_ENV=production (at least 32 random characters, the same on every instance)`);
    return new TokenSigner(randomBytes(32).toString('base64url'));
  }

  /** A signer with the same key whose tokens are only valid for `purpose` (letters and digits). */
  forPurpose(purpose: string): TokenSigner {
    if (!/^[a-z0-9]+$/i.test(purpose)) throw new Error(`invalid token purpose "${purpose}"`);
    return new TokenSigner(this.key, purpose);
  }

  sign(values: ReadonlyArray<string | number>): string {
    const body = Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The signed array, or undefined when the token is malformed, forged or altered. */
  verify(token: string): unknown[] | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || body.length > maxBodyLength) return undefined;
    const expected = Buffer.from(this.mac(body), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      return Array.isArray(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    // without a purpose the MAC covers the body alone, as click links signed before purposes existed do;
    // a body never holds a ".", so "<purpose>.<body>" cannot collide with another token's body
    const input = this.purpose ? `${this.purpose}.${body}` : body;
    return createHmac('sha256', this.key).update(input).digest().subarray(0, macBytes).toString('base64url');
  }
}
