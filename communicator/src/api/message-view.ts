import { notFound, type TenantScope } from '@teamspro/core';
import type { Message } from './contract.js';
import { countsFrom } from '../domain/counts.js';
import { editableStatuses, emptyCounts, toMessage } from '../domain/message.js';
import type { Services } from '../services.js';
import type { MessageRow } from '../store/message-store.js';

export async function requireMessage(s: Services, scope: TenantScope, id: string): Promise<MessageRow> {
  const row = await s.messages.get(scope, id);
  if (!row) throw notFound(`Message ${id} was not found.`);
  return row;
}

/** The message as the API shows it, with live counts for anything past draft. */
export async function messageView(s: Services, scope: TenantScope, row: MessageRow): Promise<Message> {
  const counts = editableStatuses.includes(row.status) || row.status === 'scheduled' ? emptyCounts() : countsFrom(await s.counters.totals(scope, row.rowKey));
  return toMessage(row.rowKey, row, row.etag, counts);
}
