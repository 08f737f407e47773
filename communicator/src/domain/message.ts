import type { AfterSend, Message, MessageInput, MessageStatus, MessageSummary, DeliveryCounts } from '../api/contract.js';

/** The last edit or recall of the delivered cards; `op` identifies it, so its job stops once a later one supersedes it. */
export type AfterSendRecord = AfterSend & { op: string };

/** What is stored for a message; counts live in counter rows, the etag is the row's. */
export type MessageRecord = MessageInput & {
  status: MessageStatus;
  createdBy: string;
  createdAt: string;
  /** exposed as updatedAt (core reserves that name for the table's own timestamp) */
  editedAt: string;
  sendAt?: string;
  timeZone?: string;
  /** set on a message created by "resend to failed/unread": its recipients are copied from the original */
  resendOf?: { messageId: string; to: 'failed' | 'unread' };
  /** why a send ended as failed, or who canceled */
  statusReason?: string;
  afterSend?: AfterSendRecord;
  /** how many shard partitions hold the recipient rows (chosen once, when the audience is resolved; see RecipientStore) */
  recipientShards?: number;
  /** recalled: the cards were (or are being) deleted; no later edit or resend */
  recalled?: boolean;
};

export const emptyCounts = (): DeliveryCounts => ({ recipients: 0, queued: 0, sent: 0, failed: 0, retried: 0, read: 0, clicks: 0, feedback: 0 });

/** Statuses in which the content can still be edited. */
export const editableStatuses: readonly MessageStatus[] = ['draft', 'template'];
/** Statuses of a send that has been asked for and not finished. */
export const activeStatuses: readonly MessageStatus[] = ['queued', 'resolving', 'sending'];

/** The list filter the tab uses maps onto stored statuses. */
export function statusesForFilter(filter: string | undefined): MessageStatus[] | undefined {
  switch (filter) {
    case undefined: case '': return undefined;
    case 'sending': return ['queued', 'resolving', 'sending'];
    case 'sent': return ['sent', 'failed'];
    case 'draft': case 'scheduled': case 'canceled': case 'template': return [filter];
    default: return [];
  }
}

export function toMessage(id: string, record: MessageRecord, etag: string, counts: DeliveryCounts): Message {
  return {
    id,
    topicId: record.topicId,
    author: record.author,
    layout: record.layout,
    variants: record.variants,
    feedback: record.feedback,
    audience: record.audience,
    status: record.status,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    updatedAt: record.editedAt,
    ...(record.sendAt ? { sendAt: record.sendAt } : {}),
    ...(record.timeZone ? { timeZone: record.timeZone } : {}),
    ...(record.resendOf ? { resendOf: record.resendOf } : {}),
    ...(record.afterSend ? { afterSend: publicAfterSend(record.afterSend) } : {}),
    ...(record.recalled ? { recalled: true } : {}),
    counts,
    etag,
  };
}

export function publicAfterSend(a: AfterSendRecord): AfterSend {
  return { kind: a.kind, state: a.state, done: a.done, failed: a.failed, at: a.at, ...(a.total !== undefined ? { total: a.total } : {}) };
}

export function toSummary(message: Message): MessageSummary {
  const { id, status, topicId, author, createdAt, updatedAt, sendAt, counts } = message;
  return { id, status, topicId, author, createdAt, updatedAt, ...(sendAt ? { sendAt } : {}), counts, title: message.variants[0]?.title ?? '' };
}
