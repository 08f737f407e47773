import type { SimulatedMember, SimulatedTeam, SimulatedTenant } from './roster.js';

export type SimulatedConversation = {
  id: string;
  tenantId: string;
  kind: 'personal' | 'channel';
  /** personal: the user's canonical id (their roster Teams id when known, else the id the chat was created with) */
  userId?: string;
  member?: SimulatedMember;
  /** channel: the team it belongs to */
  teamId?: string;
};

const personalPrefix = 'a:1';
const separator = '\u001f';

/**
 * A 1:1 conversation id that encodes (tenant, user), the way Teams gives one bot and one user always
 * the same chat: creating it twice returns the same id, and a restarted simulator still knows whose
 * chat an id stored before the restart belongs to.
 */
export function personalConversationId(tenantId: string, userId: string): string {
  return personalPrefix + Buffer.from(`${tenantId}${separator}${userId}`, 'utf8').toString('base64url');
}

export function decodePersonalConversationId(id: string): { tenantId: string; userId: string } | undefined {
  if (!id.startsWith(personalPrefix)) return undefined;
  const text = Buffer.from(id.slice(personalPrefix.length), 'base64url').toString('utf8');
  const at = text.indexOf(separator);
  if (at <= 0 || at === text.length - 1 || text.indexOf(separator, at + 1) !== -1) return undefined;
  return { tenantId: text.slice(0, at), userId: text.slice(at + 1) };
}

type TenantDirectory = { cap?: number; users: SimulatedMember[]; byId: Map<string, SimulatedMember>; teams: Map<string, SimulatedTeam> };

/** Tenants, their rosters and teams, and every conversation the simulator knows. */
export class Directory {
  private readonly tenants = new Map<string, TenantDirectory>();
  private readonly conversations = new Map<string, SimulatedConversation>();
  /** team id → tenant id */
  private readonly teams = new Map<string, string>();

  addTenant(tenantId: string, tenant: SimulatedTenant): void {
    const dir = this.tenantDir(tenantId);
    if (tenant.capPerTenant !== undefined) dir.cap = tenant.capPerTenant;
    for (const user of tenant.users ?? []) {
      dir.users.push(user);
      dir.byId.set(user.id.toLowerCase(), user);
      if (user.aadObjectId) dir.byId.set(user.aadObjectId.toLowerCase(), user);
    }
    for (const team of tenant.teams ?? []) {
      dir.teams.set(team.id, team);
      this.teams.set(team.id, tenantId);
      this.conversations.set(team.id, { id: team.id, tenantId, kind: 'channel', teamId: team.id });
      for (const channel of team.channels ?? []) this.conversations.set(channel.id, { id: channel.id, tenantId, kind: 'channel', teamId: team.id });
    }
  }

  private tenantDir(tenantId: string): TenantDirectory {
    let dir = this.tenants.get(tenantId);
    if (!dir) this.tenants.set(tenantId, (dir = { users: [], byId: new Map(), teams: new Map() }));
    return dir;
  }

  tenantCaps(): Array<[string, number]> {
    const caps: Array<[string, number]> = [];
    for (const [id, dir] of this.tenants) if (dir.cap !== undefined) caps.push([id, dir.cap]);
    return caps;
  }

  member(tenantId: string, id: string): SimulatedMember | undefined {
    return this.tenants.get(tenantId)?.byId.get(id.toLowerCase());
  }

  /** The 1:1 chat with a user, by the id given (Teams or AAD); the same chat whichever id is used when the roster knows the user. */
  personal(tenantId: string, givenUserId: string): SimulatedConversation {
    const member = this.member(tenantId, givenUserId);
    const userId = member?.id ?? givenUserId;
    const id = personalConversationId(tenantId, userId);
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = { id, tenantId, kind: 'personal', userId, ...(member ? { member } : {}) };
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  has(id: string): boolean {
    return this.conversations.has(id);
  }

  /** A known conversation, or a 1:1 id this simulator (or an earlier run of it) handed out. `;messageid=…` thread suffixes are ignored. */
  find(id: string): SimulatedConversation | undefined {
    const found = this.conversations.get(id);
    if (found) return found;
    const semi = id.indexOf(';');
    if (semi > 0) return this.find(id.slice(0, semi));
    const decoded = decodePersonalConversationId(id);
    if (!decoded) return undefined;
    const conversation = this.personal(decoded.tenantId, decoded.userId);
    // an id minted for an AAD id whose roster entry has another Teams id still belongs to that user
    if (conversation.id !== id) this.conversations.set(id, { ...conversation, id });
    return this.conversations.get(id);
  }

  /**
   * Remembers a conversation under an id the simulator did not mint: a 1:1 chat when `userId` is given
   * (a benchmark that seeds its own conversation ids), otherwise a channel or group chat.
   */
  register(id: string, tenantId: string, userId?: string): SimulatedConversation {
    let conversation: SimulatedConversation;
    if (userId !== undefined) {
      const member = this.member(tenantId, userId);
      conversation = { id, tenantId, kind: 'personal', userId: member?.id ?? userId, ...(member ? { member } : {}) };
    } else conversation = { id, tenantId, kind: 'channel' };
    this.conversations.set(id, conversation);
    return conversation;
  }

  team(teamId: string): { tenantId: string; team: SimulatedTeam } | undefined {
    const tenantId = this.teams.get(teamId);
    const team = tenantId ? this.tenants.get(tenantId)?.teams.get(teamId) : undefined;
    return tenantId && team ? { tenantId, team } : undefined;
  }

  /** Who is in a conversation: the user of a 1:1 chat, the team's roster for a channel. */
  members(conversation: SimulatedConversation): SimulatedMember[] {
    if (conversation.kind === 'personal') return [conversation.member ?? { id: conversation.userId!, name: '' }];
    const found = conversation.teamId ? this.team(conversation.teamId) : undefined;
    return found ? this.teamMembers(found.tenantId, found.team) : [];
  }

  teamMembers(tenantId: string, team: SimulatedTeam): SimulatedMember[] {
    const dir = this.tenants.get(tenantId);
    if (!dir) return [];
    if (!team.memberIds) return dir.users;
    const out: SimulatedMember[] = [];
    for (const id of team.memberIds) {
      const member = dir.byId.get(id.toLowerCase());
      if (member) out.push(member);
    }
    return out;
  }

  conversationCount(): number {
    return this.conversations.size;
  }
}
