import type { PrismaClient } from "../../generated/prisma/client.ts";

/** A role in the staff group as the roster stores it. */
export type RosterRole = "OFFICER" | "ADMIN";

export interface RosterEntry {
  userId: bigint;
  name: string;
  role: RosterRole;
  since: Date;
}

/**
 * Who can act in the staff group and since when (`staff_members`, shown by /siapa). Only officers and
 * administrators are recorded, never reporters: an entry is written when a member joins or is promoted (a
 * chat_member update) or is first seen acting, and removed when they can no longer act.
 */
export function createStaffRoster(db: PrismaClient) {
  return {
    /**
     * Records that `userId` has `role` as of `at` (null: cannot act, the entry goes). `since` changes only when
     * the role does, so a member seen again keeps their start date; a known name is kept when none is given.
     */
    async record(userId: number, role: RosterRole | null, at: Date, name?: string): Promise<void> {
      const id = BigInt(userId);
      if (role === null) {
        await db.staffMember.deleteMany({ where: { userId: id } });
        return;
      }
      const existing = await db.staffMember.findUnique({ where: { userId: id } });
      if (!existing) {
        await db.staffMember
          .create({ data: { userId: id, role, since: at, name: name ?? String(userId) } })
          .catch(async () => {
            // Two instances saw the member at once: the other one's row stands.
          });
        return;
      }
      if (existing.role !== role || (name && existing.name !== name)) {
        await db.staffMember.update({
          where: { userId: id },
          data: { role, name: name ?? existing.name, ...(existing.role !== role ? { since: at } : {}) },
        });
      }
    },

    /** Everyone recorded, administrators first, then by start date. */
    async list(limit = 100): Promise<RosterEntry[]> {
      return db.staffMember.findMany({ orderBy: [{ role: "desc" }, { since: "asc" }], take: limit });
    },
  };
}

export type StaffRoster = ReturnType<typeof createStaffRoster>;
