import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";

/**
 * Who wants enforcement announcements. A subscriber is found by the keyed hash of their chat id; the id itself
 * is stored only encrypted, like reporters' ids (a subscriber list is also a list of people who care).
 */
export function createSubscriptionStore(db: PrismaClient, cipher: DataCipher) {
  const byChat = (chatId: number) => ({ chatIdHash: { in: cipher.hashes(String(chatId)) } });

  return {
    async isSubscribed(chatId: number): Promise<boolean> {
      return (await db.subscription.count({ where: { ...byChat(chatId), active: true } })) > 0;
    },

    /** Subscribes, or re-activates and updates the language of an earlier subscription. */
    async subscribe(chatId: number, locale: string): Promise<void> {
      const existing = await db.subscription.findFirst({ where: byChat(chatId) });
      if (existing) {
        await db.subscription.update({
          where: { id: existing.id },
          data: { active: true, locale, unsubscribedAt: null },
        });
        return;
      }
      await db.subscription.create({
        data: { chatIdHash: cipher.hash(String(chatId)), chatIdEnc: cipher.encrypt(String(chatId)), locale },
      });
    },

    /** Always succeeds, subscribed or not. */
    async unsubscribe(chatId: number): Promise<void> {
      await db.subscription.updateMany({
        where: { ...byChat(chatId), active: true },
        data: { active: false, unsubscribedAt: new Date() },
      });
    },
  };
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;
