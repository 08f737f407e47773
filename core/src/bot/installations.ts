import type { TableStorage } from '../store/table-store.js';
import type { TenantScope } from '../identity/identity.js';

/** Where the app is installed: a user's personal chat, a group chat or a team. Kept for proactive sends. */
export type Installation = {
  conversationId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  serviceUrl: string;
  /** the user's Entra object id, for personal installs */
  userId?: string;
  userName?: string;
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

  async remove(scope: TenantScope, conversationType: Installation['conversationType'], conversationId: string): Promise<void> {
    await this.table(scope).delete(conversationType, rowKeyOf(conversationId));
  }

  async list(scope: TenantScope, conversationType: Installation['conversationType']): Promise<Installation[]> {
    return this.table(scope).listAll(conversationType);
  }
}
