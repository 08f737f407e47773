import type { TableStorage } from '../store/table-store.js';
import type { TenantScope } from '../identity/identity.js';

/** Where the app is installed: a user's personal chat, a group chat or a team. Kept for proactive sends. */
export type Installation = {
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  serviceUrl: string;
  /** the user's Entra object id, for personal installs */
  userId?: string;
  /** the user's Teams user id ("29:…", the activity's from.id), for personal installs: what proactive 1:1 messages and card refresh lists need */
  teamsUserId?: string;
  userName?: string;
  /** the user's sign-in name, for personal installs (from the chat's roster when the activity lacks it) */
  userPrincipalName?: string;
  teamId?: string;
  teamName?: string;
  locale?: string;
  installedAt: string;
};

const TABLE = 'installations';

/** Conversation ids become row keys, so characters tables refuse in keys are encoded. */
const rowKeyOf = (conversationId: string) => encodeURIComponent(conversationId).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export class InstallationStore {
  constructor(private readonly storage: TableStorage) {}

  private table(scope: TenantScope) { return this.storage.forTenant(scope).table<Installation>(TABLE); }

  async save(scope: TenantScope, installation: Installation): Promise<void> {
    await this.table(scope).upsert(installation.conversationType, rowKeyOf(installation.conversationId), installation);
  }

  /** Many installs at once (an import, a benchmark's seed): transactions of 100 per conversation type. */
  async saveMany(scope: TenantScope, installations: Installation[]): Promise<void> {
    const table = this.table(scope);
    for (const type of ['personal', 'groupChat', 'channel'] as const) {
      const ofType = installations.filter((i) => i.conversationType === type);
      if (ofType.length) await table.batch(type, ofType.map((i) => ({ kind: 'upsert' as const, rowKey: rowKeyOf(i.conversationId), data: i })));
    }
  }

  async remove(scope: TenantScope, conversationType: Installation['conversationType'], conversationId: string): Promise<void> {
    await this.table(scope).delete(conversationType, rowKeyOf(conversationId));
  }

  async list(scope: TenantScope, conversationType: Installation['conversationType']): Promise<Installation[]> {
    return this.table(scope).listAll(conversationType);
  }

  /** Offboarding: deletes every install of the tenant. Returns how many rows went. */
  eraseTenant(scope: TenantScope): Promise<number> {
    return this.table(scope).deleteAllRows();
  }
}
