import type { Api } from "grammy";
import type { ChatMember } from "grammy/types";
import { describe, expect, it } from "vitest";
import { createStaffMembership } from "../../../handlers/common/staff-membership.ts";

const STAFF = -1001234567890;

/** A getChatMember that answers from a table and counts its calls. */
function fakeApi(members: Record<number, Partial<ChatMember>>) {
  const calls: number[] = [];
  const api = {
    getChatMember: async (_chat: number, userId: number) => {
      calls.push(userId);
      return { status: "left", ...members[userId] } as ChatMember;
    },
  } as unknown as Api;
  return { api, calls };
}

describe("staff membership", () => {
  it("never makes a restricted member an officer", async () => {
    const { api } = fakeApi({ 1: { status: "restricted", is_member: true } as Partial<ChatMember> });
    expect(await createStaffMembership(api, STAFF).roleOf(1)).toBeNull();
  });

  it("refuses members missing from STAFF_ALLOWLIST and says why", async () => {
    const { api } = fakeApi({
      1: { status: "member" },
      2: { status: "administrator" },
      3: { status: "member" },
    });
    const staff = createStaffMembership(api, STAFF, { allowlist: [2, 3] });
    expect(await staff.roleOf(1)).toBeNull();
    expect(staff.refusedByAllowlist(1)).toBe(true);
    expect(await staff.roleOf(2)).toBe("admin");
    expect(await staff.roleOf(3)).toBe("officer");
    expect(staff.refusedByAllowlist(3)).toBe(false);
  });

  it("answers from the cache until forget(), then asks Telegram again", async () => {
    const members: Record<number, Partial<ChatMember>> = { 7: { status: "member" } };
    const { api, calls } = fakeApi(members);
    const seen: Array<string | null> = [];
    const staff = createStaffMembership(api, STAFF, { onSeen: (_user, _id, role) => void seen.push(role) });
    expect(await staff.roleOf(7)).toBe("officer");
    members[7] = { status: "left" };
    expect(await staff.roleOf(7)).toBe("officer"); // cached
    staff.forget(7);
    expect(await staff.roleOf(7)).toBeNull();
    expect(calls).toEqual([7, 7]);
    expect(seen).toEqual(["officer", null]);
  });
});
