-- AlterTable
ALTER TABLE "reporters" ALTER COLUMN "pseudonym" DROP NOT NULL;

-- AlterTable
ALTER TABLE "reports" ADD COLUMN     "pseudonym" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "reports_pseudonym_key" ON "reports"("pseudonym");

-- Reports filed before per-report pseudonyms get a random label of their own (8 characters of the pseudonym
-- alphabet, the correlated subquery makes random() run per row), and the per-person labels are forgotten.
UPDATE "reports" SET "pseudonym" = (
  SELECT string_agg(substr('23456789ABCDEFGHJKMNPQRSTUVWXYZ', 1 + floor(random() * 31)::int, 1), '')
  FROM generate_series(1, 8 + 0 * length("reports"."id"::text))
) WHERE "pseudonym" IS NULL;
UPDATE "reporters" SET "pseudonym" = NULL;
