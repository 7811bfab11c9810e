-- DropForeignKey
ALTER TABLE "reports" DROP CONSTRAINT "reports_reporter_id_fkey";

-- DropIndex
DROP INDEX "reports_reporter_id_created_at_idx";

-- AlterTable
ALTER TABLE "cases" ADD COLUMN     "reporter_count" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "reporters" DROP COLUMN "blocked_at",
DROP COLUMN "created_at",
DROP COLUMN "updated_at",
ADD COLUMN     "report_ids_enc" TEXT;

-- AlterTable
ALTER TABLE "reports" ADD COLUMN     "reporter_link_enc" TEXT;


-- Cases count their reporters while `reporter_id` still says who is who (a ticket linked to nobody counts as one).
UPDATE "cases" SET "reporter_count" = (
  SELECT count(DISTINCT r."reporter_id") + count(*) FILTER (WHERE r."reporter_id" IS NULL)
  FROM "reports" r WHERE r."case_id" = "cases"."id"
);
