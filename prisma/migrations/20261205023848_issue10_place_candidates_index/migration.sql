-- CreateIndex
CREATE INDEX "reports_category_district_code_created_at_id_idx" ON "reports"("category", "district_code", "created_at", "id");
