import type { TokenSigner } from '@teamspro/core';

export type ImageSize = 'full' | 'thumb';

/** Which version of which gallery image, full size or thumbnail; signed so a link can only open the image it was made for. */
export type ImageTokenPayload = { tenantId: string; imageId: string; version: string; size: ImageSize };

/** Tokens of GET /img/:token, signed with the click-link key but valid for images only. */
export class ImageTokens {
  private readonly signer: TokenSigner;

  constructor(tokens: TokenSigner) {
    this.signer = tokens.forPurpose('img');
  }

  sign(p: ImageTokenPayload): string {
    return this.signer.sign([p.tenantId, p.imageId, p.version, p.size === 'thumb' ? 't' : 'f']);
  }

  /** The payload, or undefined when the token is malformed, forged or altered. */
  verify(token: string): ImageTokenPayload | undefined {
    const value = this.signer.verify(token);
    if (!value || value.length !== 4) return undefined;
    const [tenantId, imageId, version, size] = value;
    if (typeof tenantId !== 'string' || typeof imageId !== 'string' || typeof version !== 'string') return undefined;
    if (size !== 'f' && size !== 't') return undefined;
    return { tenantId, imageId, version, size: size === 't' ? 'thumb' : 'full' };
  }
}
