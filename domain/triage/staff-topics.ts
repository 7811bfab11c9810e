import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Category } from "../report/categories.ts";

/**
 * Forum topics of the staff group, one per category, created on first use and remembered in `staff_topics`.
 * Two instances may create a topic for the same category at once: the first row written wins and the loser is
 * told to delete its own topic.
 */
export function createStaffTopics(db: PrismaClient) {
  return {
    async get(chatId: number, category: Category): Promise<number | undefined> {
      const row = await db.staffTopic.findUnique({
        where: { chatId_category: { chatId: BigInt(chatId), category } },
      });
      return row ? Number(row.threadId) : undefined;
    },

    /** Stores a new topic; returns the topic to use (someone else's if they were first). */
    async save(chatId: number, category: Category, threadId: number): Promise<number> {
      await db.staffTopic.createMany({
        data: [{ chatId: BigInt(chatId), category, threadId: BigInt(threadId) }],
        skipDuplicates: true,
      });
      const row = await db.staffTopic.findUniqueOrThrow({
        where: { chatId_category: { chatId: BigInt(chatId), category } },
      });
      return Number(row.threadId);
    },

    /** Forgets a topic an administrator deleted; the next card of the category creates a new one. */
    async forget(chatId: number, category: Category, threadId: number): Promise<void> {
      await db.staffTopic.deleteMany({
        where: { chatId: BigInt(chatId), category, threadId: BigInt(threadId) },
      });
    },
  };
}

export type StaffTopics = ReturnType<typeof createStaffTopics>;
