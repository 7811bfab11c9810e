-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('OFFICER', 'ADMIN');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ReportEventType" ADD VALUE 'REPORTER_BLOCKED';
ALTER TYPE "ReportEventType" ADD VALUE 'REPORTER_UNBLOCKED';
ALTER TYPE "ReportEventType" ADD VALUE 'REPORTER_UNLINKED';
ALTER TYPE "ReportEventType" ADD VALUE 'REPORTER_ERASED';

-- CreateTable
CREATE TABLE "blocked_reporters" (
    "id" UUID NOT NULL,
    "telegram_id_hash" TEXT NOT NULL,
    "report_code" TEXT NOT NULL,
    "blocked_by_id" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blocked_reporters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_members" (
    "user_id" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "staff_members_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "blocked_reporters_telegram_id_hash_key" ON "blocked_reporters"("telegram_id_hash");

-- CreateIndex
CREATE INDEX "blocked_reporters_report_code_idx" ON "blocked_reporters"("report_code");
