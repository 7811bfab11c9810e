import { defineConfig } from "prisma/config";

// Used by Prisma's CLI only (generate, and migrate deploy/status where its engine can be downloaded).
// The bot applies migrations itself at start (bot/migrate.ts); see README "Database".
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/awasi" },
});
