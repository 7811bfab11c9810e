-- Hand-written (Prisma cannot express extensions without the preview feature): trigram similarity of
-- chronologies for duplicate detection (domain/case/duplicate-finder.ts). pg_trgm ships with PostgreSQL's
-- contrib and with PGlite (loaded through the PGlite constructor's `extensions`, bot/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
