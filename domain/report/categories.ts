import { z } from "zod";

/** The kinds of violation a citizen can report (the Prisma `Category` enum). */
export const CATEGORIES = ["MONEY_POLITICS", "HOAX", "ASN_NEUTRALITY", "OTHER"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The closed answer sets of the report's choice questions, by step id. */
export const OPTIONS = {
  mp_given: ["CASH", "GOODS", "VOUCHER", "SERVICE", "OTHER"],
  hx_platforms: ["WHATSAPP", "FACEBOOK", "INSTAGRAM", "TIKTOK", "X", "YOUTUBE", "TELEGRAM", "OTHER"],
  asn_actions: [
    "POSTED",
    "LIKED",
    "SHARED",
    "COMMENTED",
    "JOINED_GROUP",
    "ATTENDED_CAMPAIGN",
    "WORE_ATTRIBUTES",
    "USED_FACILITIES",
    "OTHER",
  ],
  // NO_TRACE: anonymous with no follow-up, nothing links the report to the account (appended: stored indexes stay).
  identity: ["ANONYMOUS", "IDENTIFIED", "NO_TRACE"],
  /** Where an ASN's social-media act happened (the same platforms as a hoax's). */
  asn_platforms: ["WHATSAPP", "FACEBOOK", "INSTAGRAM", "TIKTOK", "X", "YOUTUBE", "TELEGRAM", "OTHER"],
} as const;

/** ASN acts done on social media (about 40% of KASN's 2024 cases): they ask on which platform. */
export const ASN_SOCIAL_MEDIA_ACTIONS: readonly string[] = [
  "POSTED",
  "LIKED",
  "SHARED",
  "COMMENTED",
  "JOINED_GROUP",
];

const text = z.string().min(1);
const links = z.array(z.url()).min(1);

/**
 * What each category's answers must look like before a report is written (`Report.details`). Keys are the
 * step ids of domain/report/steps.ts.
 */
export const DETAILS_SCHEMAS = {
  MONEY_POLITICS: z.object({
    mp_given: z.array(z.enum(OPTIONS.mp_given)).min(1),
    mp_value: z.number().int().positive().optional(),
    mp_giver: text,
    mp_beneficiary: text.optional(),
    mp_recipients: z.number().int().positive().optional(),
  }),
  HOAX: z.object({
    hx_platforms: z.array(z.enum(OPTIONS.hx_platforms)).min(1),
    hx_links: links.optional(),
    hx_falsehood: text,
  }),
  ASN_NEUTRALITY: z.object({
    asn_name: text.optional(),
    asn_agency: text,
    asn_position: text.optional(),
    asn_actions: z.array(z.enum(OPTIONS.asn_actions)).min(1),
    asn_platforms: z.array(z.enum(OPTIONS.asn_platforms)).min(1).optional(),
    asn_link: links.optional(),
    asn_account: text.optional(),
    asn_candidate: text.optional(),
  }),
  OTHER: z.object({ ot_title: text }),
} satisfies Record<Category, z.ZodType>;

export type ReportDetails = { [C in Category]: z.output<(typeof DETAILS_SCHEMAS)[C]> };
