-- CreateIndex
CREATE INDEX "reports_created_at_id_idx" ON "reports"("created_at", "id");
