import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { DataCipher } from "../crypto/data-cipher.ts";

/** A subscriber's settings as they see them. */
export interface SubscriptionState {
  active: boolean;
  /** The language announcements' buttons are labelled in, and the language filter admins may target. */
  locale: string;
  /** Area preference: none (all of Indonesia), a province ("32"), or a regency/city ("32.73") with its province. */
  provinceCode: string | null;
  regencyCode: string | null;
}

/** An area preference: a province code, or a regency/city code (its province is derived from the code). */
export type AreaPreference = { provinceCode: string; regencyCode: string | null } | null;

/**
 * Who wants enforcement announcements. A subscriber is found by the keyed hash of their chat id; the id itself
 * is stored only encrypted, like reporters' ids (a subscriber list is also a list of people who care).
 */
export function createSubscriptionStore(db: PrismaClient, cipher: DataCipher) {
  const byChat = (chatId: number) => ({
    chatIdHash: { in: cipher.hashes("subscriptionChat", String(chatId)) },
  });

  return {
    async isSubscribed(chatId: number): Promise<boolean> {
      return (await db.subscription.count({ where: { ...byChat(chatId), active: true } })) > 0;
    },

    /** The subscriber's settings, or null when they never subscribed. */
    async state(chatId: number): Promise<SubscriptionState | null> {
      const row = await db.subscription.findFirst({
        where: byChat(chatId),
        select: { active: true, locale: true, provinceCode: true, regencyCode: true },
      });
      return row;
    },

    /** Subscribes, or re-activates and updates the language of an earlier subscription (keeping its area). */
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
        data: {
          chatIdHash: cipher.hash("subscriptionChat", String(chatId)),
          chatIdEnc: cipher.encrypt(String(chatId)),
          locale,
        },
      });
    },

    /** Always succeeds, subscribed or not. */
    async unsubscribe(chatId: number): Promise<void> {
      await db.subscription.updateMany({
        where: { ...byChat(chatId), active: true },
        data: { active: false, unsubscribedAt: new Date() },
      });
    },

    /** Sets the area preference of an active subscription; false when there is none. */
    async setArea(chatId: number, area: AreaPreference): Promise<boolean> {
      const { count } = await db.subscription.updateMany({
        where: { ...byChat(chatId), active: true },
        data: { provinceCode: area?.provinceCode ?? null, regencyCode: area?.regencyCode ?? null },
      });
      return count > 0;
    },

    /** Sets the announcement language of an active subscription; false when there is none. */
    async setLocale(chatId: number, locale: string): Promise<boolean> {
      const { count } = await db.subscription.updateMany({
        where: { ...byChat(chatId), active: true },
        data: { locale },
      });
      return count > 0;
    },
  };
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;

/**
 * The area preference a region code stands for: a province ("32") or a regency/city ("32.73"); districts and
 * malformed codes give undefined (subscribers choose at most a regency/city).
 */
export function areaFromCode(code: string): AreaPreference | undefined {
  if (/^\d{2}$/.test(code)) return { provinceCode: code, regencyCode: null };
  if (/^\d{2}\.\d{2}$/.test(code)) return { provinceCode: code.slice(0, 2), regencyCode: code };
  return undefined;
}
