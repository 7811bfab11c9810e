import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { evidenceFromMessage } from "../../../handlers/report/evidence.ts";
import { documentMessage, makeUser, photoMessage } from "../../support/updates.ts";

const user = makeUser(8201);

describe("evidence from a message", () => {
  it("keeps the caption and the file name as sent", () => {
    const message = documentMessage(user, {
      caption: "Foto <b>amplop</b> & 💸",
      fileName: "bukti <1>.pdf",
    }).message;
    const item = evidenceFromMessage(message as Message);
    expect(item).toMatchObject({
      kind: "DOCUMENT",
      caption: "Foto <b>amplop</b> & 💸",
      fileName: "bukti <1>.pdf",
    });
  });

  it("drops NUL characters and lone surrogates from captions and file names: the database cannot store them", () => {
    const photo = photoMessage(user, { caption: "foto\u0000 \ud83d amplop" }).message as Message;
    expect(evidenceFromMessage(photo)?.caption).toBe("foto  amplop");
    const document = documentMessage(user, { fileName: "bukti\u0000.pdf\udc00" }).message as Message;
    expect(evidenceFromMessage(document)?.fileName).toBe("bukti.pdf");
  });
});
