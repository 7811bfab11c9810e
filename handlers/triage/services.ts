import { type CaseStore, createCaseStore } from "../../domain/case/case-store.ts";
import { createReporterLinks, type ReporterLinks } from "../../domain/report/reporter-links.ts";
import { TRIAGE_OUTBOX } from "../../domain/triage/outbox-kinds.ts";
import { createStaffTopics, type StaffTopics } from "../../domain/triage/staff-topics.ts";
import { createTicketStore, type TicketStore } from "../../domain/triage/ticket-store.ts";
import type { AppServices, Translate } from "../common/context.ts";
import { type LegalClock, legalClockOf } from "../common/legal-clock.ts";
import type { CardContext } from "./card.ts";

/** What the triage handlers and workers share, built once per process from the app's services. */
export interface TriageServices {
  store: TicketStore;
  cases: CaseStore;
  /** Each ticket's encrypted link to its reporter: who to tell, and whether a citizen is a ticket's reporter. */
  links: ReporterLinks;
  topics: StaffTopics;
  /** The staff group's language (STAFF_LOCALE): cards, topics and everything posted in the group use it. */
  staffT: Translate;
  clock: LegalClock;
  cardContext(now?: Date): Promise<CardContext>;
  /** Runs `task` after every earlier task for the same key (card edits of one ticket, in order). */
  serialize<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Whether any reporter's answer is parked as lost (see {@link LostReplyWatch}). */
  lostReplies: LostReplyWatch;
}

/**
 * Every private message asks whether some reporter's answer was lost (handlers/triage/delivery-faults.ts); almost
 * always none is. The answer is read from the database at most once per {@link LOST_REPLY_RECHECK_MS} per process,
 * so that a message costs no query: another instance's parked answer is seen within that time, this process's own
 * at once.
 */
export interface LostReplyWatch {
  anyParked(): Promise<boolean>;
  /** A recent look found none: nothing to wait for (the common case, checked without a promise). */
  knownNone(): boolean;
  /** This process parked one just now. */
  parked(): void;
}

export const LOST_REPLY_RECHECK_MS = 2_000;

/** One watch per database client: the update handlers and the workers build their triage services apart. */
const watches = new WeakMap<AppServices["db"], LostReplyWatch>();

function lostReplyWatch(db: AppServices["db"]): LostReplyWatch {
  const existing = watches.get(db);
  if (existing) return existing;
  const watch = newLostReplyWatch(db);
  watches.set(db, watch);
  return watch;
}

function newLostReplyWatch(db: AppServices["db"]): LostReplyWatch {
  let known: { at: number; answer: Promise<boolean>; found?: boolean } | undefined;
  const fresh = () => known !== undefined && Date.now() - known.at < LOST_REPLY_RECHECK_MS;
  return {
    anyParked() {
      if (!known || !fresh()) {
        const answer = db.outboxMessage
          .findFirst({ where: { kind: TRIAGE_OUTBOX.replyLost, status: "PENDING" }, select: { id: true } })
          .then((row) => row !== null);
        const look: NonNullable<typeof known> = { at: Date.now(), answer };
        known = look;
        answer.then(
          (found) => {
            look.found = found;
          },
          // A failed look is not remembered: the next message asks again.
          () => {
            if (known === look) known = undefined;
          },
        );
      }
      return known.answer;
    },
    knownNone() {
      return fresh() && known?.found === false;
    },
    parked() {
      known = { at: Date.now(), answer: Promise.resolve(true), found: true };
    },
  };
}

const built = new WeakMap<AppServices, TriageServices>();

/** The triage services of this app (the same object for every update and worker of one process). */
export function triageServices(app: AppServices): TriageServices {
  const existing = built.get(app);
  if (existing) return existing;
  const locale = app.config.staffLocale;
  const staffT = app.translatorFor(locale);
  const clock = legalClockOf(app.config);
  const queues = new Map<string, Promise<unknown>>();
  const services: TriageServices = {
    store: createTicketStore(app.db),
    cases: createCaseStore(app.db, app.cipher),
    links: createReporterLinks(app.cipher),
    topics: createStaffTopics(app.db),
    staffT,
    clock,
    cardContext: async (now = new Date()) => ({
      t: staffT,
      locale,
      regions: await app.regions(),
      now,
      deadlineOf: clock.followUp,
    }),
    serialize(key, task) {
      const previous = queues.get(key) ?? Promise.resolve();
      const run = previous.then(task, task);
      const settled = run.catch(() => undefined);
      queues.set(key, settled);
      void settled.then(() => {
        if (queues.get(key) === settled) queues.delete(key);
      });
      return run;
    },
    lostReplies: lostReplyWatch(app.db),
  };
  built.set(app, services);
  return services;
}
