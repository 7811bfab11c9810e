-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'SKIPPED';

-- AlterTable
ALTER TABLE "broadcast_deliveries" ADD COLUMN     "claimed_by" TEXT,
ADD COLUMN     "locked_until" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "broadcasts" ADD COLUMN     "audience_ready_at" TIMESTAMP(3),
ADD COLUMN     "progress_edited_at" TIMESTAMP(3),
ADD COLUMN     "skipped" INTEGER NOT NULL DEFAULT 0;
