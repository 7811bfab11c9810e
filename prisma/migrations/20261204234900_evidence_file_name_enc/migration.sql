-- The original file name of a document of an identified report often names the reporter: it becomes ciphertext.
-- Renamed, not dropped and added, to keep the names. At start-up the bot encrypts those still in plain text
-- (domain/evidence/file-name-encryption.ts). No semicolons in these comments: the Prisma engine that applies
-- migrations splits the script at every one, even inside a comment.
ALTER TABLE "evidence" RENAME COLUMN "file_name" TO "file_name_enc";
