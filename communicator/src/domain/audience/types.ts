import type { RecipientRecord } from '../../store/recipient-store.js';

/** A recipient found in one audience source, before de-duplication. */
export type Candidate = { key: string; record: RecipientRecord; source: string };

export type ResolvedAudience = {
  recipients: Array<{ key: string; record: RecipientRecord }>;
  bySource: Array<{ source: string; count: number }>;
  duplicatesRemoved: number;
};

export const reasons = {
  notInstalled: 'app not installed: the person has no chat with the bot and no Teams id is known to open one',
  /** proactive installation is on, but no install tells which Bot Connector serves the tenant */
  noServiceUrl: 'app not installed: installing it through Microsoft Graph needs the app installed for at least one person or team of the tenant first (its Bot Connector address)',
  /** proactive installation is on and Graph refused or failed for good */
  installFailed: (detail: string) => `app not installed: Microsoft Graph could not install it for the person (${detail})`,
  notInTeam: 'app not installed in this team',
  unknownUser: 'user not found in the directory',
  unknownGroup: 'group not found',
  unknownList: 'list not found',
} as const;

/** A queued user recipient, or a failed one when `failureReason` is given. */
export function userRecord(fields: Omit<RecipientRecord, 'kind' | 'status' | 'retries'>, failureReason?: string): RecipientRecord {
  return failureReason
    ? { ...fields, kind: 'user', status: 'failed', retries: 0, failureReason, resolveFailed: true, counted: true }
    : { ...fields, kind: 'user', status: 'queued', retries: 0 };
}

/** A directory user as the resolver reads it from Graph. */
export type GraphUser = { id: string; displayName?: string; userPrincipalName?: string; preferredLanguage?: string };
