import { describe, expect, it } from "vitest";
import { isExpired, newDraft, REVIEW, type ReportDraft, readDraft } from "../../../domain/report/draft.ts";
import {
  answer,
  back,
  currentStep,
  edit,
  settle,
  skip,
  toSubmission,
  visibleSteps,
} from "../../../domain/report/flow.ts";
import { CATEGORY_STEPS, STEP_BY_ID, stepsFor } from "../../../domain/report/steps.ts";

const T = 1_700_000_000_000;

/** Answers every step of an OTHER report up to the review. */
function completeOther(): ReportDraft {
  let draft = newDraft("draft-0001", T);
  draft = answer(draft, "category", "OTHER", T);
  draft = answer(draft, "ot_title", "Kampanye di tempat ibadah", T);
  draft = answer(draft, "occurred_on", "2026-11-20", T);
  draft = answer(draft, "learned_on", "2026-11-21", T);
  draft = answer(draft, "location", { type: "point", latitude: -6.2, longitude: 106.8 }, T);
  draft = skip(draft, "place_note", T);
  draft = answer(draft, "chronology", "Seorang calon berkampanye di masjid setelah salat Jumat.", T);
  draft = answer(draft, "evidence", 0, T);
  return answer(draft, "identity", "ANONYMOUS", T);
}

describe("report flow engine", () => {
  it("asks the category first, then the category's own questions, then the common ones", () => {
    const draft = answer(newDraft("draft-0001", T), "category", "MONEY_POLITICS", T);
    expect(currentStep(draft)?.id).toBe("mp_given");
    expect(visibleSteps(draft).map((step) => step.id)).toEqual([
      "category",
      ...CATEGORY_STEPS.MONEY_POLITICS.map((step) => step.id),
      "occurred_on",
      "learned_on",
      "location",
      "place_note",
      "chronology",
      "evidence",
      "identity",
    ]);
  });

  it("adds name and phone only for an identified report", () => {
    const ids = (identity: string) => stepsFor("OTHER", { identity }).map((step) => step.id);
    expect(ids("ANONYMOUS")).not.toContain("reporter_name");
    expect(ids("IDENTIFIED")).toEqual(expect.arrayContaining(["reporter_name", "reporter_phone"]));
  });

  it("reaches the review when every step is answered, and builds a validated submission", () => {
    const draft = completeOther();
    expect(draft.stepId).toBe(REVIEW);
    const submission = toSubmission(draft);
    expect(submission).toMatchObject({
      ok: true,
      value: { category: "OTHER", anonymous: true, placeNote: null },
    });
  });

  it("goes back one step keeping answers, and from the review to the last step", () => {
    const draft = completeOther();
    const last = back(draft, T);
    expect(last.stepId).toBe("identity");
    expect(back(last, T).stepId).toBe("evidence");
    expect(back(last, T).answers.chronology).toBe(draft.answers.chronology);
  });

  it("edits one answer from the review and returns there", () => {
    const editing = edit(completeOther(), "chronology", T)!;
    expect(editing.stepId).toBe("chronology");
    const done = answer(editing, "chronology", "Calon membagikan stiker di halaman masjid setelah salat.", T);
    expect(done.stepId).toBe(REVIEW);
    expect(back(editing, T).stepId).toBe(REVIEW);
  });

  it("after switching to an identified report from the review, asks the new questions before returning", () => {
    const switched = answer(edit(completeOther(), "identity", T)!, "identity", "IDENTIFIED", T);
    expect(switched.stepId).toBe("reporter_name");
    const named = answer(switched, "reporter_name", "enc-name", T);
    expect(named.stepId).toBe("reporter_phone");
    const phoned = answer(named, "reporter_phone", "enc-phone", T);
    expect(phoned.stepId).toBe("witness_1"); // a formal report asks for witnesses (optional)
    expect(skip(phoned, "witness_1", T).stepId).toBe(REVIEW);
  });

  it("changing the category asks the new category's questions and keeps the common answers", () => {
    const changed = answer(edit(completeOther(), "category", T)!, "category", "HOAX", T);
    expect(changed.stepId).toBe("hx_platforms");
    expect(changed.answers.chronology).toBeDefined();
    expect(toSubmission(changed)).toMatchObject({ ok: false, stepId: "hx_platforms" });
  });

  it("refuses to edit a step the draft does not have", () => {
    expect(edit(completeOther(), "mp_value", T)).toBeUndefined();
  });

  it("resumes a draft whose current step a deploy removed at its first unanswered step", () => {
    const old = { ...answer(newDraft("draft-0002", T), "category", "OTHER", T), stepId: "removed_step" };
    expect(settle(old).stepId).toBe("ot_title");
  });

  it("reads drafts from the session, keeping unreadable ones out of the conversation", () => {
    expect(readDraft(JSON.parse(JSON.stringify(completeOther())))?.stepId).toBe(REVIEW);
    expect(readDraft({ version: 99 })).toBeUndefined();
    expect(readDraft("garbage")).toBeUndefined();
  });

  it("expires an untouched draft after the time to live", () => {
    const draft = newDraft("draft-0003", T);
    expect(isExpired(draft, T + 72 * 3_600_000, 72 * 3_600_000)).toBe(false);
    expect(isExpired(draft, T + 72 * 3_600_000 + 1, 72 * 3_600_000)).toBe(true);
  });

  it("has short, unique step ids that fit in callback data with their option index", () => {
    for (const id of STEP_BY_ID.keys()) expect(`rep:o:${id}:99`.length).toBeLessThanOrEqual(64);
  });
});
