import { randomUUID } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';

export type SinkMessage = {
  id: string;
  receivedAt: string;
  /** SMTP envelope: who the client said it was sending from and to (Bcc recipients appear only here) */
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  /** the Date header, or the time received when the message has none */
  date: string;
  text: string;
  html: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
};

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(value) ? value : value ? [value] : []).flatMap((group) => group.value.map((a) => (a.name ? `${a.name} <${a.address ?? ''}>` : a.address ?? '')));
}

export function toSinkMessage(parsed: ParsedMail, envelope: SinkMessage['envelope']): SinkMessage {
  const receivedAt = new Date().toISOString();
  return {
    id: randomUUID(),
    receivedAt,
    envelope,
    messageId: parsed.messageId ?? null,
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? '',
    date: parsed.date?.toISOString() ?? receivedAt,
    text: parsed.text ?? '',
    html: parsed.html || null,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
  };
}
