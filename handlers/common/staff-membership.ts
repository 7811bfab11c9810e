import type { Api } from "grammy";
import type { ChatMember, User } from "grammy/types";

export type StaffRole = "admin" | "officer";

export interface StaffMembershipOptions {
  /** How long an answer is trusted; a chat_member update forgets it at once. */
  ttlMs?: number;
  now?: () => number;
  /** `STAFF_ALLOWLIST`: when not empty, members not on it cannot act. */
  allowlist?: readonly number[];
  /** Called when a role was looked up (not from the cache): the roster records who can act since when. */
  onSeen?: (user: User | undefined, userId: number, role: StaffRole | null) => Promise<void> | void;
}

/**
 * The role a chat member has in the staff group: a member is an officer, a group administrator (or the creator)
 * an admin; a restricted member, someone who left, or a member missing from `STAFF_ALLOWLIST` nobody.
 */
export function roleOfMember(member: ChatMember): StaffRole | null {
  if (member.status === "creator" || member.status === "administrator") return "admin";
  return member.status === "member" ? "officer" : null;
}

/**
 * Who may act in the staff group. Answers come from `getChatMember` and are cached briefly per user, so a busy
 * group does not cost one API call per button press; the chat_member update of a join, promotion or removal
 * forgets the cached answer at once (handlers/triage/staff-roster.ts).
 */
export function createStaffMembership(api: Api, staffChatId: number, options: StaffMembershipOptions = {}) {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const allowlist = new Set(options.allowlist ?? []);
  const cache = new Map<number, { role: StaffRole | null; notAllowlisted: boolean; until: number }>();
  return {
    /** The user's role now; `user` (when known) names them in the roster. */
    async roleOf(userId: number, user?: User): Promise<StaffRole | null> {
      const cached = cache.get(userId);
      if (cached && cached.until > now()) return cached.role;
      const member = await api.getChatMember(staffChatId, userId);
      const memberRole = roleOfMember(member);
      const notAllowlisted = memberRole !== null && allowlist.size > 0 && !allowlist.has(userId);
      const role = notAllowlisted ? null : memberRole;
      if (cache.size > 10_000) cache.clear();
      cache.set(userId, { role, notAllowlisted, until: now() + ttlMs });
      await options.onSeen?.(user, userId, role);
      return role;
    },
    /** Whether the last answer for this user was "a member, but not on STAFF_ALLOWLIST". */
    refusedByAllowlist(userId: number): boolean {
      return cache.get(userId)?.notAllowlisted === true;
    },
    /** Whether `STAFF_ALLOWLIST` lets this user act (always, without a list). */
    allowed(userId: number): boolean {
      return allowlist.size === 0 || allowlist.has(userId);
    },
    forget(userId: number): void {
      cache.delete(userId);
    },
  };
}

export type StaffMembership = ReturnType<typeof createStaffMembership>;
