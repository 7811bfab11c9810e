import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * PostgreSQL extensions the migrations create (`CREATE EXTENSION pg_trgm`): PGlite can only create an extension
 * whose code was handed to its constructor, so every embedded database is opened with these.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };
