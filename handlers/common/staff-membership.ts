import type { Api } from "grammy";

export type StaffRole = "admin" | "officer";

/**
 * Who may act in the staff group: a current member is an officer, a group administrator (or the creator) an
 * admin; anyone else nobody. Answers come from `getChatMember` and are cached briefly per user, so a removed
 * officer loses access within `ttlMs` while a busy group does not cost one API call per button press.
 */
export function createStaffMembership(api: Api, staffChatId: number, ttlMs = 60_000, now = Date.now) {
  const cache = new Map<number, { role: StaffRole | null; until: number }>();
  return {
    async roleOf(userId: number): Promise<StaffRole | null> {
      const cached = cache.get(userId);
      if (cached && cached.until > now()) return cached.role;
      const member = await api.getChatMember(staffChatId, userId);
      const role: StaffRole | null =
        member.status === "creator" || member.status === "administrator"
          ? "admin"
          : member.status === "member" || (member.status === "restricted" && member.is_member)
            ? "officer"
            : null;
      if (cache.size > 10_000) cache.clear();
      cache.set(userId, { role, until: now() + ttlMs });
      return role;
    },
    forget(userId: number): void {
      cache.delete(userId);
    },
  };
}

export type StaffMembership = ReturnType<typeof createStaffMembership>;
