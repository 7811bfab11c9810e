-- AlterEnum
ALTER TYPE "ReportEventType" ADD VALUE 'IDENTIFIED';

-- AlterTable
ALTER TABLE "reports" ADD COLUMN     "info_requested_at" TIMESTAMP(3);
