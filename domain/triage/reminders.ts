import { createHash } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type ReminderOptions, type ReminderTicket, reminderDue } from "../ticket/deadlines.ts";
import { OPEN_STATUSES } from "../ticket/workflow.ts";
import { type ReminderKind, TRIAGE_OUTBOX } from "./outbox-kinds.ts";

/** An open ticket as the reminder check reads it (enough for the legal clock). */
export interface ReminderRow extends ReminderTicket {
  occurredOn: Date;
  infoRequestedAt: Date | null;
}

/** How many tickets of each kind were put into a reminder. */
export type RemindersQueued = Record<ReminderKind, number>;

/**
 * Finds the open tickets that need a reminder now (domain/ticket/deadlines.ts `reminderDue`; a ticket's last
 * reminder is its newest REMINDER_SENT event) and queues one digest per kind for the staff group: the outbox row
 * and a REMINDER_SENT event per ticket, in one transaction.
 *
 * Safe with several instances: the digest's dedupe key is a hash of the tickets and their last reminders, so two
 * instances that find the same tickets due write one digest; the second transaction writes nothing.
 */
export async function queueDueReminders(
  db: PrismaClient,
  now: Date,
  options: ReminderOptions<ReminderRow>,
): Promise<RemindersQueued> {
  const queued: RemindersQueued = { unclaimed: 0, deadlineNear: 0, urgentNear: 0 };
  const open = await db.report.findMany({
    where: { status: { in: [...OPEN_STATUSES] } },
    select: { id: true, status: true, createdAt: true, occurredOn: true, infoRequestedAt: true },
  });
  if (open.length === 0) return queued;
  const last = await db.reportEvent.groupBy({
    by: ["reportId"],
    where: { type: "REMINDER_SENT", reportId: { in: open.map((ticket) => ticket.id) } },
    _max: { createdAt: true },
  });
  const lastById = new Map(last.map((row) => [row.reportId, row._max.createdAt]));
  const tickets = open.map((ticket) => ({ ...ticket, lastReminderAt: lastById.get(ticket.id) ?? null }));
  const due = reminderDue(tickets, now, options);

  for (const kind of ["urgentNear", "deadlineNear", "unclaimed"] as const) {
    const list = due[kind];
    if (list.length === 0) continue;
    const fingerprint = createHash("sha256")
      .update(
        list
          .map((ticket) => `${ticket.id}@${ticket.lastReminderAt?.getTime() ?? 0}`)
          .sort()
          .join(","),
      )
      .digest("hex")
      .slice(0, 24);
    const written = await db.$transaction(async (tx) => {
      const { count } = await tx.outboxMessage.createMany({
        data: [
          {
            kind: TRIAGE_OUTBOX.reminder,
            dedupeKey: `${TRIAGE_OUTBOX.reminder}:${kind}:${fingerprint}`,
            payload: { kind, reportIds: list.map((ticket) => ticket.id) },
          },
        ],
        skipDuplicates: true,
      });
      if (count === 0) return false;
      await tx.reportEvent.createMany({
        data: list.map((ticket) => ({
          reportId: ticket.id,
          type: "REMINDER_SENT" as const,
          note: kind,
          createdAt: now,
        })),
      });
      return true;
    });
    if (written) queued[kind] = list.length;
  }
  return queued;
}
