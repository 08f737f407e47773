import { InstallationStore } from '@teamspro/core';
import { recipientKeys } from '../../src/domain/keys.js';
import { RecipientStore } from '../../src/store/recipient-store.js';
import { eventually, type Harness } from './harness.js';

export const tenantId = '00000000-0000-0000-0000-0000000000001';
export const scope = { tenantId };

/** Playground mock users (ids from its config) with the seed's language preferences. */
export const mock = {
  alex: { id: 'user-id-0', aad: '00000000-0000-0000-0000-0000000000020', locale: 'en-US' },
  megan: { id: 'user-id-1', aad: '00000000-0000-0000-0000-0000000000021', locale: 'en-US' },
  adele: { id: 'user-id-2', aad: '00000000-0000-0000-0000-0000000000022', locale: 'fr-FR' },
  isaiah: { id: 'user-id-3', aad: '00000000-0000-0000-0000-0000000000023', locale: 'en-US' },
  patti: { id: 'user-id-4', aad: '00000000-0000-0000-0000-0000000000024', locale: 'fr-FR' },
  lynne: { id: 'user-id-5', aad: '00000000-0000-0000-0000-0000000000025', locale: 'en-US' },
} as const;

export async function waitForInstalls(h: Harness, count: number, type: 'personal' | 'channel' = 'personal') {
  const store = new InstallationStore(h.server.ctx.storage);
  return eventually(async () => {
    const list = await store.list(scope, type);
    return list.length >= count ? list : undefined;
  }, `${count} ${type} installs`);
}

export async function waitForStatus(h: Harness, messageId: string, status: string, timeoutMs = 30_000) {
  return eventually(async () => {
    const res = await h.as('meganb@example.com').get(`/messages/${messageId}`);
    return res.body.status === status ? res.body : undefined;
  }, `message ${messageId} to be ${status}`, timeoutMs);
}

export function recipientRow(h: Harness, messageId: string, aadId: string) {
  return new RecipientStore(h.server.ctx.storage).get(scope, messageId, recipientKeys.user(aadId));
}
