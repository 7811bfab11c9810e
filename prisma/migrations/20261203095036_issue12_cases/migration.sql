-- CreateEnum
CREATE TYPE "EvidenceHashState" AS ENUM ('PENDING', 'DONE', 'TOO_LARGE', 'NONE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ReportEventType" ADD VALUE 'CASE_LINKED';
ALTER TYPE "ReportEventType" ADD VALUE 'CASE_UNLINKED';
ALTER TYPE "ReportEventType" ADD VALUE 'DUPLICATE_DISMISSED';
ALTER TYPE "ReportEventType" ADD VALUE 'FORM_ISSUED';

-- AlterTable
ALTER TABLE "evidence" ADD COLUMN     "hash_state" "EvidenceHashState" NOT NULL DEFAULT 'NONE',
ADD COLUMN     "hashed_at" TIMESTAMP(3),
ADD COLUMN     "received_at" TIMESTAMP(3),
ADD COLUMN     "sha256" TEXT,
ADD COLUMN     "size_bytes" INTEGER;

-- AlterTable
ALTER TABLE "reports" ADD COLUMN     "case_id" UUID,
ADD COLUMN     "duplicate_hint" JSONB,
ADD COLUMN     "receipt_pending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "witnesses_enc" TEXT;

-- CreateTable
CREATE TABLE "cases" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reports_case_id_idx" ON "reports"("case_id");

-- CreateIndex
CREATE INDEX "reports_category_occurred_on_idx" ON "reports"("category", "occurred_on");

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;
