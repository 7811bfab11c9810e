import { InputFile } from "grammy";
import { createEvidenceStore } from "../../domain/evidence/evidence-store.ts";
import type { Category } from "../../domain/report/categories.ts";
import { todayInJakarta } from "../../domain/report/dates.ts";
import { formalReportWindow } from "../../domain/report/deadline.ts";
import type { ReportLocation } from "../../domain/report/draft.ts";
import { openWitnesses } from "../../domain/witness/witnesses.ts";
import type { Report } from "../../generated/prisma/client.ts";
import type { AppServices } from "../common/context.ts";
import { buildReportForm, type ReportFormModel } from "./report-form-model.ts";
import { renderReportFormPdf } from "./report-form-pdf.ts";

/** The official form is filed at an Indonesian office: it is always written in Indonesian. */
const FORM_LOCALE = "id" as const;

/** Where a ticket happened, as the answers store it. */
export function locationOf(report: Report): ReportLocation {
  if (report.latitude !== null && report.longitude !== null)
    return { type: "point", latitude: report.latitude, longitude: report.longitude };
  return {
    type: "region",
    provinceCode: report.provinceCode ?? "",
    regencyCode: report.regencyCode ?? "",
    districtCode: report.districtCode ?? undefined,
  };
}

/**
 * The filled-in form of a ticket. The reporter's name and phone are in it only for an identified report whose
 * contact data is still held (not purged); an anonymous ticket's form names nobody.
 */
export async function reportFormOf(app: AppServices, report: Report, now: Date): Promise<ReportFormModel> {
  const identified = !report.anonymous && report.reporterNameEnc && report.reporterPhoneEnc;
  const reporter = identified
    ? {
        name: app.cipher.decrypt(report.reporterNameEnc!),
        phone: app.cipher.decrypt(report.reporterPhoneEnc!),
      }
    : null;
  const learnedOn = report.learnedOn.toISOString().slice(0, 10);
  const window = formalReportWindow(learnedOn, todayInJakarta(now), app.config.electionKind);
  return buildReportForm(app.translatorFor(FORM_LOCALE), FORM_LOCALE, await app.regions(), {
    code: report.code,
    category: report.category as Category,
    details: (report.details ?? {}) as Record<string, unknown>,
    occurredOn: report.occurredOn.toISOString().slice(0, 10),
    learnedOn,
    location: locationOf(report),
    placeNote: report.placeNote,
    chronology: report.chronology,
    createdAt: report.createdAt,
    evidence: await createEvidenceStore(app.db, app.cipher).fingerprints(report.id),
    reporter,
    anonymous: report.anonymous,
    witnesses: reporter ? openWitnesses(app.cipher, report.witnessesEnc) : [],
    formalWindow: { deadline: window.deadline, daysLeft: window.daysLeft },
    electionKind: app.config.electionKind,
  });
}

/** The form as a PDF document ready for `sendDocument`. */
export async function reportFormDocument(app: AppServices, report: Report, now: Date): Promise<InputFile> {
  const form = await reportFormOf(app, report, now);
  const pdf = await renderReportFormPdf(form, { title: form.title, created: now });
  const t = app.translatorFor(FORM_LOCALE);
  return new InputFile(pdf, t("reportForm:fileName", { code: report.code }));
}
