/** Azure Storage caps a message at 64 KiB of text. */
export const maxMessageBytes = 64 * 1024;

const base64Text = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * JSON, then base64: the Functions queue trigger and Storage Explorer expect base64 by default,
 * and @azure/storage-queue sends text as given, so the encoding is done here.
 */
export function encodeMessage(value: unknown): string {
  const text = Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
  if (text.length > maxMessageBytes) {
    throw new RangeError(`job is ${text.length} bytes encoded, over the ${maxMessageBytes}-byte queue message limit; store the payload in a blob and enqueue a reference`);
  }
  return text;
}

/** Accepts base64 JSON, and plain JSON as sent by tools with message encoding turned off. Throws on anything else. */
export function decodeMessage(text: string): unknown {
  if (base64Text.test(text)) {
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      // e.g. a bare JSON number is also valid base64; fall through to plain JSON
    }
  }
  return JSON.parse(text);
}
