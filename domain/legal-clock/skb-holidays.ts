/**
 * Indonesian national holidays (libur nasional) and collective leave days (cuti bersama) as the government's
 * joint ministerial decrees (SKB of the Ministers of Religious Affairs, Manpower, and State Apparatus
 * Empowerment and Bureaucratic Reform) set them. These decrees, not an astronomical calendar, decide the
 * Islamic holidays (date-holidays can be a day off for them) and they are the only source of cuti bersama,
 * which public offices, Bawaslu included, do not work on.
 *
 * - 2024: SKB No. 855/2023, 3/2023, 4/2023 (as amended).
 * - 2025: SKB No. 1017/2024, 2/2024, 2/2024; 18 August 2025 added as cuti bersama by its amendment.
 * - 2026: SKB on the national holidays and collective leave of 2026 (signed September 2025).
 *
 * Years outside this table fall back to the `date-holidays` library (public holidays only). A decree changed
 * late is followed with the HOLIDAYS setting (see holiday-calendar.ts), not by waiting for a release.
 */
export type HolidayKind = "public" | "collective";

export interface SkbHoliday {
  date: string;
  kind: HolidayKind;
  /** Indonesian name as the decree writes it. */
  name: string;
}

const p = (date: string, name: string): SkbHoliday => ({ date, kind: "public", name });
const c = (date: string, name: string): SkbHoliday => ({ date, kind: "collective", name });

/** The years this table covers completely; other years come from the library. */
export const SKB_YEARS: readonly number[] = [2024, 2025, 2026];

export const SKB_HOLIDAYS: readonly SkbHoliday[] = [
  // 2024
  p("2024-01-01", "Tahun Baru Masehi"),
  p("2024-02-08", "Isra Mikraj Nabi Muhammad SAW"),
  c("2024-02-09", "Cuti bersama Tahun Baru Imlek"),
  p("2024-02-10", "Tahun Baru Imlek"),
  p("2024-03-11", "Hari Suci Nyepi"),
  c("2024-03-12", "Cuti bersama Hari Suci Nyepi"),
  p("2024-03-29", "Wafat Isa Al Masih"),
  p("2024-03-31", "Hari Paskah"),
  c("2024-04-08", "Cuti bersama Idul Fitri"),
  c("2024-04-09", "Cuti bersama Idul Fitri"),
  p("2024-04-10", "Idul Fitri"),
  p("2024-04-11", "Idul Fitri"),
  c("2024-04-12", "Cuti bersama Idul Fitri"),
  c("2024-04-15", "Cuti bersama Idul Fitri"),
  p("2024-05-01", "Hari Buruh Internasional"),
  p("2024-05-09", "Kenaikan Isa Al Masih"),
  c("2024-05-10", "Cuti bersama Kenaikan Isa Al Masih"),
  p("2024-05-23", "Hari Raya Waisak"),
  c("2024-05-24", "Cuti bersama Hari Raya Waisak"),
  p("2024-06-01", "Hari Lahir Pancasila"),
  p("2024-06-17", "Idul Adha"),
  c("2024-06-18", "Cuti bersama Idul Adha"),
  p("2024-07-07", "Tahun Baru Islam"),
  p("2024-08-17", "Hari Kemerdekaan Republik Indonesia"),
  p("2024-09-16", "Maulid Nabi Muhammad SAW"),
  p("2024-12-25", "Hari Raya Natal"),
  c("2024-12-26", "Cuti bersama Hari Raya Natal"),
  // 2025
  p("2025-01-01", "Tahun Baru Masehi"),
  p("2025-01-27", "Isra Mikraj Nabi Muhammad SAW"),
  c("2025-01-28", "Cuti bersama Tahun Baru Imlek"),
  p("2025-01-29", "Tahun Baru Imlek"),
  c("2025-03-28", "Cuti bersama Hari Suci Nyepi"),
  p("2025-03-29", "Hari Suci Nyepi"),
  p("2025-03-31", "Idul Fitri"),
  p("2025-04-01", "Idul Fitri"),
  c("2025-04-02", "Cuti bersama Idul Fitri"),
  c("2025-04-03", "Cuti bersama Idul Fitri"),
  c("2025-04-04", "Cuti bersama Idul Fitri"),
  c("2025-04-07", "Cuti bersama Idul Fitri"),
  p("2025-04-18", "Wafat Isa Al Masih"),
  p("2025-04-20", "Hari Paskah"),
  p("2025-05-01", "Hari Buruh Internasional"),
  p("2025-05-12", "Hari Raya Waisak"),
  c("2025-05-13", "Cuti bersama Hari Raya Waisak"),
  p("2025-05-29", "Kenaikan Isa Al Masih"),
  c("2025-05-30", "Cuti bersama Kenaikan Isa Al Masih"),
  p("2025-06-01", "Hari Lahir Pancasila"),
  p("2025-06-06", "Idul Adha"),
  c("2025-06-09", "Cuti bersama Idul Adha"),
  p("2025-06-27", "Tahun Baru Islam"),
  p("2025-08-17", "Hari Kemerdekaan Republik Indonesia"),
  c("2025-08-18", "Cuti bersama Hari Kemerdekaan"),
  p("2025-09-05", "Maulid Nabi Muhammad SAW"),
  p("2025-12-25", "Hari Raya Natal"),
  c("2025-12-26", "Cuti bersama Hari Raya Natal"),
  // 2026
  p("2026-01-01", "Tahun Baru Masehi"),
  p("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
  c("2026-02-16", "Cuti bersama Tahun Baru Imlek"),
  p("2026-02-17", "Tahun Baru Imlek"),
  c("2026-03-18", "Cuti bersama Hari Suci Nyepi"),
  p("2026-03-19", "Hari Suci Nyepi"),
  c("2026-03-20", "Cuti bersama Idul Fitri"),
  p("2026-03-21", "Idul Fitri"),
  p("2026-03-22", "Idul Fitri"),
  c("2026-03-23", "Cuti bersama Idul Fitri"),
  c("2026-03-24", "Cuti bersama Idul Fitri"),
  p("2026-04-03", "Wafat Yesus Kristus"),
  p("2026-04-05", "Hari Paskah"),
  p("2026-05-01", "Hari Buruh Internasional"),
  p("2026-05-14", "Kenaikan Yesus Kristus"),
  c("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus"),
  p("2026-05-27", "Idul Adha"),
  c("2026-05-28", "Cuti bersama Idul Adha"),
  p("2026-05-31", "Hari Raya Waisak"),
  p("2026-06-01", "Hari Lahir Pancasila"),
  p("2026-06-16", "Tahun Baru Islam"),
  p("2026-08-17", "Hari Kemerdekaan Republik Indonesia"),
  p("2026-08-25", "Maulid Nabi Muhammad SAW"),
  c("2026-12-24", "Cuti bersama Hari Raya Natal"),
  p("2026-12-25", "Hari Raya Natal"),
];
