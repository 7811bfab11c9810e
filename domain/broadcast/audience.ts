import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.ts";

/**
 * Who receives an announcement: every active subscriber, optionally narrowed to an area and a language.
 *
 * Areas follow the subscribers' own preference (province, or regency/city, or none = "all of Indonesia"):
 * - an announcement for a province reaches subscribers who chose that province or a regency inside it;
 * - an announcement for a regency reaches subscribers who chose that regency, and those who chose its whole
 *   province (they asked for everything there);
 * - subscribers without an area preference receive announcements for all subscribers only, never area ones:
 *   an area announcement is local news, and the preview shows the admin exactly how many it reaches.
 */
export const audienceSchema = z.object({
  area: z
    .object({
      level: z.enum(["province", "regency"]),
      /** Kepmendagri code: "32" (province) or "32.73" (regency/city). */
      code: z.string().regex(/^\d{2}(\.\d{2})?$/),
    })
    .nullable(),
  /** Only subscribers whose announcement language is this; null = every language. */
  locale: z.enum(["id", "en"]).nullable(),
});

export type Audience = z.infer<typeof audienceSchema>;

export const EVERYONE: Audience = { area: null, locale: null };

/** Reads a stored audience; throws when the JSON is not an {@link Audience}. */
export function parseAudience(value: unknown): Audience {
  return audienceSchema.parse(value);
}

/**
 * The SQL condition on `subscriptions` (aliased `s`) selecting the audience's active subscribers.
 *
 * @example audienceCondition({ area: { level: "regency", code: "32.73" }, locale: "id" })
 * // s.active AND (s.regency_code = '32.73' OR (s.province_code = '32' AND s.regency_code IS NULL)) AND s.locale = 'id'
 */
export function audienceCondition(audience: Audience): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`s.active`];
  const area = audience.area;
  if (area?.level === "province") parts.push(Prisma.sql`s.province_code = ${area.code}`);
  if (area?.level === "regency") {
    const province = area.code.slice(0, 2);
    parts.push(
      Prisma.sql`(s.regency_code = ${area.code} OR (s.province_code = ${province} AND s.regency_code IS NULL))`,
    );
  }
  if (audience.locale) parts.push(Prisma.sql`s.locale = ${audience.locale}`);
  return Prisma.join(parts, " AND ");
}
