-- CreateEnum
CREATE TYPE "Category" AS ENUM ('MONEY_POLITICS', 'HOAX', 'ASN_NEUTRALITY', 'OTHER');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('NEW', 'IN_REVIEW', 'NEEDS_INFO', 'VERIFIED', 'FORWARDED', 'CLOSED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ForwardDestination" AS ENUM ('GAKKUMDU', 'KASN_BKN', 'FORMAL_PROCESS');

-- CreateEnum
CREATE TYPE "RejectReason" AS ENUM ('NOT_A_VIOLATION', 'INSUFFICIENT_EVIDENCE', 'DUPLICATE', 'SPAM');

-- CreateEnum
CREATE TYPE "EvidenceKind" AS ENUM ('PHOTO', 'VIDEO', 'DOCUMENT', 'VOICE', 'AUDIO', 'ANIMATION', 'VIDEO_NOTE', 'LINK');

-- CreateEnum
CREATE TYPE "ReportEventType" AS ENUM ('CREATED', 'CARD_POSTED', 'CLAIMED', 'RELEASED', 'STATUS_CHANGED', 'QUESTION_ASKED', 'ANSWER_RELAYED', 'CONTACT_REVEALED', 'REMINDER_SENT', 'REOPENED', 'PERSONAL_DATA_PURGED');

-- CreateEnum
CREATE TYPE "RelayDirection" AS ENUM ('TO_REPORTER', 'TO_STAFF');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "BroadcastStatus" AS ENUM ('DRAFT', 'AWAITING_APPROVAL', 'SENDING', 'PAUSED', 'CANCELLED', 'DONE');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'BLOCKED', 'FAILED');

-- CreateTable
CREATE TABLE "reporters" (
    "id" UUID NOT NULL,
    "telegram_id_hash" TEXT NOT NULL,
    "telegram_id_enc" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "blocked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "reporters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reports" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "category" "Category" NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'NEW',
    "reporter_id" UUID,
    "draft_id" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "reporter_name_enc" TEXT,
    "reporter_phone_enc" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "occurred_on" DATE NOT NULL,
    "learned_on" DATE NOT NULL,
    "province_code" TEXT,
    "regency_code" TEXT,
    "district_code" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "place_note" TEXT,
    "chronology" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "assignee_id" BIGINT,
    "assignee_name" TEXT,
    "forwarded_to" "ForwardDestination",
    "reject_reason" "RejectReason",
    "duplicate_of_code" TEXT,
    "staff_chat_id" BIGINT,
    "staff_message_id" BIGINT,
    "staff_thread_id" BIGINT,
    "subscribe_offered" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "closed_at" TIMESTAMP(3),
    "personal_data_purged_at" TIMESTAMP(3),

    CONSTRAINT "reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence" (
    "id" UUID NOT NULL,
    "report_id" UUID NOT NULL,
    "kind" "EvidenceKind" NOT NULL,
    "file_id" TEXT,
    "file_unique_id" TEXT,
    "media_group_id" TEXT,
    "file_name" TEXT,
    "mime_type" TEXT,
    "file_size" INTEGER,
    "caption" TEXT,
    "url" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_events" (
    "id" BIGSERIAL NOT NULL,
    "report_id" UUID NOT NULL,
    "type" "ReportEventType" NOT NULL,
    "actor_id" BIGINT,
    "actor_name" TEXT,
    "from_status" "ReportStatus",
    "to_status" "ReportStatus",
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relay_messages" (
    "id" UUID NOT NULL,
    "report_id" UUID NOT NULL,
    "direction" "RelayDirection" NOT NULL,
    "staff_chat_id" BIGINT NOT NULL,
    "staff_message_id" BIGINT NOT NULL,
    "citizen_message_id" BIGINT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "result" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL,
    "chat_id_hash" TEXT NOT NULL,
    "chat_id_enc" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "province_code" TEXT,
    "regency_code" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "unsubscribed_at" TIMESTAMP(3),

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broadcasts" (
    "id" UUID NOT NULL,
    "status" "BroadcastStatus" NOT NULL DEFAULT 'DRAFT',
    "content" JSONB NOT NULL,
    "audience" JSONB NOT NULL,
    "linked_report_codes" TEXT[],
    "created_by_id" BIGINT NOT NULL,
    "created_by_name" TEXT,
    "approved_by_id" BIGINT,
    "approved_by_name" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "blocked" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "progress_chat_id" BIGINT,
    "progress_message_id" BIGINT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "broadcasts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broadcast_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "broadcast_id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "available_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "sent_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "broadcast_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_topics" (
    "chat_id" BIGINT NOT NULL,
    "category" "Category" NOT NULL,
    "thread_id" BIGINT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_topics_pkey" PRIMARY KEY ("chat_id","category")
);

-- CreateTable
CREATE TABLE "sessions" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "reporters_telegram_id_hash_key" ON "reporters"("telegram_id_hash");

-- CreateIndex
CREATE UNIQUE INDEX "reporters_pseudonym_key" ON "reporters"("pseudonym");

-- CreateIndex
CREATE UNIQUE INDEX "reports_code_key" ON "reports"("code");

-- CreateIndex
CREATE UNIQUE INDEX "reports_draft_id_key" ON "reports"("draft_id");

-- CreateIndex
CREATE INDEX "reports_reporter_id_created_at_idx" ON "reports"("reporter_id", "created_at");

-- CreateIndex
CREATE INDEX "reports_status_created_at_idx" ON "reports"("status", "created_at");

-- CreateIndex
CREATE INDEX "reports_staff_chat_id_staff_message_id_idx" ON "reports"("staff_chat_id", "staff_message_id");

-- CreateIndex
CREATE INDEX "evidence_report_id_position_idx" ON "evidence"("report_id", "position");

-- CreateIndex
CREATE INDEX "report_events_report_id_created_at_idx" ON "report_events"("report_id", "created_at");

-- CreateIndex
CREATE INDEX "relay_messages_report_id_idx" ON "relay_messages"("report_id");

-- CreateIndex
CREATE INDEX "relay_messages_staff_chat_id_staff_message_id_idx" ON "relay_messages"("staff_chat_id", "staff_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_dedupe_key_key" ON "outbox"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_status_available_at_idx" ON "outbox"("status", "available_at");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_chat_id_hash_key" ON "subscriptions"("chat_id_hash");

-- CreateIndex
CREATE INDEX "subscriptions_active_province_code_regency_code_idx" ON "subscriptions"("active", "province_code", "regency_code");

-- CreateIndex
CREATE INDEX "broadcasts_status_created_at_idx" ON "broadcasts"("status", "created_at");

-- CreateIndex
CREATE INDEX "broadcast_deliveries_broadcast_id_status_id_idx" ON "broadcast_deliveries"("broadcast_id", "status", "id");

-- CreateIndex
CREATE INDEX "broadcast_deliveries_subscription_id_idx" ON "broadcast_deliveries"("subscription_id");

-- CreateIndex
CREATE UNIQUE INDEX "broadcast_deliveries_broadcast_id_subscription_id_key" ON "broadcast_deliveries"("broadcast_id", "subscription_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- AddForeignKey
ALTER TABLE "reports" ADD CONSTRAINT "reports_reporter_id_fkey" FOREIGN KEY ("reporter_id") REFERENCES "reporters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_events" ADD CONSTRAINT "report_events_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relay_messages" ADD CONSTRAINT "relay_messages_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcast_deliveries" ADD CONSTRAINT "broadcast_deliveries_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "broadcasts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcast_deliveries" ADD CONSTRAINT "broadcast_deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
