-- AlterTable
ALTER TABLE "blocked_reporters" ADD COLUMN     "telegram_id_enc" TEXT NOT NULL;
