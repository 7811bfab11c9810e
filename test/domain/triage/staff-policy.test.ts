import { describe, expect, it } from "vitest";
import { cardActions, decideForStaff } from "../../../domain/triage/staff-policy.ts";

const officer = { id: 7n, role: "officer" as const };
const admin = { id: 9n, role: "admin" as const };

describe("staff policy on top of the workflow", () => {
  it("lets only an administrator reject, even the officer who holds the ticket", () => {
    const held = { status: "IN_REVIEW" as const, assigneeId: 7n, anonymous: true };
    expect(decideForStaff(held, { type: "reject", reason: "SPAM" }, officer)).toEqual({
      ok: false,
      reason: "adminOnly",
    });
    expect(decideForStaff(held, { type: "reject", reason: "SPAM" }, admin)).toMatchObject({
      ok: true,
      toStatus: "REJECTED",
    });
  });

  it("leaves every other rule to the workflow", () => {
    const fresh = { status: "NEW" as const, assigneeId: null, anonymous: true };
    expect(decideForStaff(fresh, { type: "claim" }, officer)).toMatchObject({ ok: true, assigneeId: 7n });
    expect(decideForStaff(fresh, { type: "verify" }, admin)).toEqual({
      ok: false,
      reason: "invalidTransition",
    });
    expect(decideForStaff(fresh, { type: "revealContact" }, officer)).toEqual({
      ok: false,
      reason: "adminOnly",
    });
  });

  it("shows on a card what an administrator or the holder could do in the status", () => {
    expect(cardActions({ status: "NEW", assigneeId: null, anonymous: false })).toEqual(["claim", "reject"]);
    expect(cardActions({ status: "IN_REVIEW", assigneeId: 7n, anonymous: true })).toEqual([
      "release",
      "askReporter",
      "verify",
      "reject",
    ]);
    expect(cardActions({ status: "NEEDS_INFO", assigneeId: 7n, anonymous: true })).toEqual([
      "askReporter",
      "reject",
    ]);
    expect(cardActions({ status: "VERIFIED", assigneeId: 7n, anonymous: true })).toEqual([
      "forward",
      "reject",
      "close",
    ]);
    expect(cardActions({ status: "FORWARDED", assigneeId: 7n, anonymous: true })).toEqual(["close"]);
    expect(cardActions({ status: "CLOSED", assigneeId: 7n, anonymous: true })).toEqual(["reopen"]);
    expect(cardActions({ status: "REJECTED", assigneeId: 7n, anonymous: true })).toEqual(["reopen"]);
  });
});
