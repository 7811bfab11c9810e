import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";

type Db = Prisma.TransactionClient | PrismaClient;

/** What a report holds of its reporter: the Telegram id, encrypted for this report alone. */
export interface LinkedReport {
  reporterLinkEnc: string | null;
}

interface PersonRow {
  id: string;
  report_ids_enc: string | null;
}

/** A person's row as read before a write that is checked against it (Submit reads it in its one round trip). */
export interface PersonSnapshot {
  id: string;
  reportIdsEnc: string | null;
}

/**
 * What adding a report to its reporter's list writes, decided before the statement that writes it
 * (domain/report/report-insert.ts): either the person's row as read, with its new list (written only while the row
 * still holds `expectedIdsEnc`: a fresh IV per encryption makes any other write change it), or a new row (written
 * only when no row of this person appeared meanwhile).
 */
export type PersonChange =
  | { kind: "update"; id: string; expectedIdsEnc: string | null; idsEnc: string; locale: string }
  | {
      kind: "insert";
      id: string;
      telegramIdHash: string;
      telegramIdEnc: string;
      idsEnc: string;
      locale: string;
    };

/**
 * How reports and their reporters find each other without a value a database dump could group them by.
 * Each report holds its own ciphertext of the reporter's Telegram id (a fresh IV every time, so two reports of one
 * person share nothing); the person's `reporters` row, found by a keyed hash, holds the encrypted list of their
 * report ids. Without the data key neither side points to the other.
 */
export function createReporterLinks(cipher: DataCipher) {
  const hashes = (telegramUserId: number) => cipher.hashes("reporter", String(telegramUserId));
  const readIds = (enc: string | null): string[] =>
    enc ? (JSON.parse(cipher.decrypt(enc)) as string[]) : [];

  /** The person's row, locked until the transaction ends (two submits of one person never lose a report id). */
  async function lockPerson(
    tx: Prisma.TransactionClient,
    telegramUserId: number,
  ): Promise<PersonRow | undefined> {
    const rows = await tx.$queryRaw<PersonRow[]>`
      SELECT id::text, report_ids_enc FROM reporters
      WHERE telegram_id_hash = ANY(${hashes(telegramUserId)}) ORDER BY id LIMIT 1 FOR UPDATE`;
    return rows[0];
  }

  async function writeIds(tx: Prisma.TransactionClient, person: PersonRow, ids: string[]): Promise<void> {
    if (ids.length === 0) {
      await tx.$executeRaw`DELETE FROM reporters WHERE id = ${person.id}::uuid`;
      return;
    }
    const enc = cipher.encrypt(JSON.stringify(ids));
    await tx.$executeRaw`UPDATE reporters SET report_ids_enc = ${enc} WHERE id = ${person.id}::uuid`;
  }

  /** The Telegram chat (a private chat's id is the user's) of a report's reporter; null when linked to nobody. */
  function chatOf(report: LinkedReport): number | null {
    return report.reporterLinkEnc ? Number(cipher.decrypt(report.reporterLinkEnc)) : null;
  }

  return {
    chatOf,

    /** A new report's link to its reporter, unlike every other report's link to the same person. */
    linkFor: (telegramUserId: number): string => cipher.encrypt(String(telegramUserId)),

    /**
     * Where and in which language to tell a report's reporter something: their chat and their latest language
     * (the report's own when they have no row any more); null when the report is linked to nobody.
     */
    async contactOf(db: Db, report: LinkedReport & { locale: string }) {
      const chatId = chatOf(report);
      if (chatId === null) return null;
      const row = await db.reporter.findFirst({
        where: { telegramIdHash: { in: hashes(chatId) } },
        select: { locale: true },
      });
      return { chatId, locale: row?.locale ?? report.locale };
    },

    /** Whether this Telegram user is the reporter of this report. */
    isOwn: (report: LinkedReport, telegramUserId: number): boolean => chatOf(report) === telegramUserId,

    /** The keyed hashes a person's row may be stored under (for a lookup inside a larger query). */
    lookupHashes: hashes,

    /**
     * The write that adds a new report to its reporter's list, given the person's row as read (undefined: none),
     * for a statement that checks the row did not change meanwhile ({@link PersonChange}); keeps their latest
     * language. The optimistic counterpart of {@link add}, which locks the row inside a transaction.
     */
    planAdd(
      person: PersonSnapshot | undefined,
      telegramUserId: number,
      locale: string,
      reportId: string,
    ): PersonChange {
      if (person)
        return {
          kind: "update",
          id: person.id,
          expectedIdsEnc: person.reportIdsEnc,
          idsEnc: cipher.encrypt(JSON.stringify([...readIds(person.reportIdsEnc), reportId])),
          locale,
        };
      return {
        kind: "insert",
        id: randomUUID(),
        telegramIdHash: cipher.hash("reporter", String(telegramUserId)),
        telegramIdEnc: cipher.encrypt(String(telegramUserId)),
        idsEnc: cipher.encrypt(JSON.stringify([reportId])),
        locale,
      };
    },

    /** Adds a new report to its reporter's list (creating the person's row); keeps their latest language. */
    async add(tx: Prisma.TransactionClient, telegramUserId: number, locale: string, reportId: string) {
      for (;;) {
        const person = await lockPerson(tx, telegramUserId);
        if (person) {
          const ids = readIds(person.report_ids_enc);
          if (ids.includes(reportId)) return;
          const enc = cipher.encrypt(JSON.stringify([...ids, reportId]));
          await tx.$executeRaw`
            UPDATE reporters SET locale = ${locale}, report_ids_enc = ${enc} WHERE id = ${person.id}::uuid`;
          return;
        }
        const created = await tx.$executeRaw`
          INSERT INTO reporters (id, telegram_id_hash, telegram_id_enc, locale, report_ids_enc)
          VALUES (${randomUUID()}::uuid, ${cipher.hash("reporter", String(telegramUserId))},
                  ${cipher.encrypt(String(telegramUserId))}, ${locale}, ${cipher.encrypt(JSON.stringify([reportId]))})
          ON CONFLICT (telegram_id_hash) DO NOTHING`;
        // Zero rows: another transaction created the person's row meanwhile; the next turn finds it.
        if (created === 1) return;
      }
    },

    /** The ids of the reports linked to this Telegram user. */
    async reportIds(db: Db, telegramUserId: number): Promise<string[]> {
      const rows = await db.reporter.findMany({
        where: { telegramIdHash: { in: hashes(telegramUserId) } },
        select: { reportIdsEnc: true },
      });
      return rows.flatMap((row) => readIds(row.reportIdsEnc));
    },

    /** Sets the language of this reporter's notices; false when they have no linked report. */
    async setLocale(db: Db, telegramUserId: number, locale: string): Promise<boolean> {
      const { count } = await db.reporter.updateMany({
        where: { telegramIdHash: { in: hashes(telegramUserId) } },
        data: { locale },
      });
      return count > 0;
    },

    /**
     * Unlinks these reports from their reporters: each report's link goes, and the report leaves its reporter's
     * list (a person left with none loses their row).
     */
    async unlink(tx: Prisma.TransactionClient, reports: ReadonlyArray<LinkedReport & { id: string }>) {
      const byChat = new Map<number, Set<string>>();
      for (const report of reports) {
        const chat = chatOf(report);
        if (chat !== null) byChat.set(chat, (byChat.get(chat) ?? new Set()).add(report.id));
      }
      // One lock order for every transaction that unlinks several people: no deadlock between two purges.
      for (const [chat, ids] of [...byChat].sort(([a], [b]) => a - b)) {
        const person = await lockPerson(tx, chat);
        if (person)
          await writeIds(
            tx,
            person,
            readIds(person.report_ids_enc).filter((id) => !ids.has(id)),
          );
      }
      await tx.report.updateMany({
        where: { id: { in: reports.map((report) => report.id) } },
        data: { reporterLinkEnc: null },
      });
    },

    /** Deletes this Telegram user's row and returns the ids of the reports it listed (/hapus). */
    async erase(tx: Prisma.TransactionClient, telegramUserId: number): Promise<string[]> {
      const rows = await tx.reporter.findMany({
        where: { telegramIdHash: { in: hashes(telegramUserId) } },
        select: { id: true, reportIdsEnc: true },
      });
      await tx.reporter.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
      return rows.flatMap((row) => readIds(row.reportIdsEnc));
    },
  };
}

export type ReporterLinks = ReturnType<typeof createReporterLinks>;
