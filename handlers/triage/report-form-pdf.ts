import { createRequire } from "node:module";
import type PDFKitDocument from "pdfkit";
import type { FormRow, ReportFormModel } from "./report-form-model.ts";

const require = createRequire(import.meta.url);
/** Noto Sans ships with the dependencies (the production image has no system fonts) and covers Indonesian text. */
const FONTS = {
  regular: require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
};

const MARGIN = 56;
const LABEL_WIDTH = 170;

/** The form as an A4 PDF (fonts embedded, text extractable). */
export function renderReportFormPdf(
  form: ReportFormModel,
  info: { title: string; created: Date },
): Promise<Buffer> {
  // Loaded on the first form, not at start (pdfkit holds ~14 MB most instances never use).
  const PDFDocument = require("pdfkit") as typeof PDFKitDocument;
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    info: { Title: info.title, Creator: "Awasi", CreationDate: info.created },
  });
  doc.registerFont("regular", FONTS.regular);
  doc.registerFont("bold", FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  doc.font("bold").fontSize(14).text(form.title, { align: "center", width });
  doc
    .moveDown(0.3)
    .font("regular")
    .fontSize(9)
    .fillColor("#444")
    .text(form.subtitle, { align: "center", width });
  doc.fillColor("#000");
  for (const section of form.sections) {
    doc.moveDown(0.9).font("bold").fontSize(11).text(section.title, MARGIN, undefined, { width });
    doc.moveDown(0.2);
    for (const row of section.rows) writeRow(doc, row, width);
    if (section.text) doc.font("regular").fontSize(10).text(section.text, MARGIN, undefined, { width });
  }
  doc.moveDown(1.2);
  for (const row of form.footer) writeRow(doc, row, width);
  doc.moveDown(2.5);
  const y = doc.y;
  const half = width / 2;
  doc.font("regular").fontSize(10);
  doc.text(form.signatures[0], MARGIN, y, { width: half, align: "center" });
  doc.text(form.signatures[1], MARGIN + half, y, { width: half, align: "center" });
  doc.text("(................................)", MARGIN, y + 60, { width: half, align: "center" });
  doc.text("(................................)", MARGIN + half, y + 60, { width: half, align: "center" });
  doc.end();
  return finished;
}

/** "Label    : value", the value wrapping in its own column. */
function writeRow(doc: PDFKit.PDFDocument, row: FormRow, width: number): void {
  const y = doc.y;
  doc.font("regular").fontSize(10);
  const labelHeight = doc.heightOfString(row.label, { width: LABEL_WIDTH - 8 });
  const valueWidth = width - LABEL_WIDTH;
  const valueHeight = doc.heightOfString(row.value || "-", { width: valueWidth });
  if (y + Math.max(labelHeight, valueHeight) > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y;
  doc.text(row.label, MARGIN, top, { width: LABEL_WIDTH - 8 });
  doc.text(`: ${row.value || "-"}`, MARGIN + LABEL_WIDTH, top, { width: valueWidth });
  doc.y = top + Math.max(labelHeight, valueHeight) + 3;
}
