import type { Citizen } from "./load.ts";
import { location, photo, press, text, type Update } from "./updates.ts";

/** Citizen ids: distinct per run, far from any real or test id. */
let nextId = 700_000_000 + Math.floor(Math.random() * 100_000) * 1_000;
export const newCitizenId = () => ++nextId;

/** A citizen who keeps asking: /start, two plain texts, /help, again and again. */
export function chattyCitizen(id = newCitizenId()): Citizen {
  const script = [
    (c: number) => text(c, "/start"),
    (c: number) => text(c, "Halo, saya mau tanya soal pemilu"),
    (c: number) => text(c, "Apakah ini bot Bawaslu?"),
    (c: number) => text(c, "/help"),
  ];
  let step = 0;
  return { next: () => script[step++ % script.length]!(id) };
}

/**
 * A citizen who walks the whole report conversation once: /start → Report → category → the category's questions
 * (a multi-select, texts, a skip) → when (two dates) → where (region search and pick, or Telegram's location) →
 * place note → chronology → an album of 3 photos → Done → anonymous → review → Submit. Even ids report money
 * politics found by region search (22 updates), odd ids a hoax with a location pin (18 updates). `submitButton` reads the Submit button the
 * bot showed (its callback data names the draft).
 */
export function reportingCitizen(
  submitButton: (chatId: number) => string | undefined,
  id = newCitizenId(),
): Citizen {
  const album = `album${id}`;
  const common = {
    when: [(c: number) => press(c, "rep:o:occurred_on:0"), (c: number) => press(c, "rep:o:learned_on:2")],
    tail: [
      (c: number) =>
        text(
          c,
          "Pukul 07.00 tim sukses membagikan amplop berisi uang 50 ribu kepada warga yang antre di depan TPS.",
        ),
      (c: number) => photo(c, album),
      (c: number) => photo(c, album),
      (c: number) => photo(c, album),
      (c: number) => press(c, "rep:d:evidence"),
      (c: number) => press(c, "rep:o:identity:0"),
      (c: number) => press(c, submitButton(c) ?? "rep:submit:missing"),
    ],
  };
  const moneyPolitics = [
    (c: number) => press(c, "rep:o:category:0"),
    (c: number) => press(c, "rep:t:mp_given:0"),
    (c: number) => press(c, "rep:t:mp_given:1"),
    (c: number) => press(c, "rep:d:mp_given"),
    (c: number) => text(c, "50rb"),
    (c: number) => text(c, "Tim sukses caleg nomor 3, pakai rompi oranye"),
    (c: number) => press(c, "rep:s:mp_beneficiary"),
    (c: number) => text(c, "sekitar 20"),
    ...common.when,
    (c: number) => text(c, "tebet"),
    (c: number) => press(c, "rep:rg:31.74.01"),
    (c: number) => text(c, "TPS 12, RT 03/RW 05"),
  ];
  const hoax = [
    (c: number) => press(c, "rep:o:category:1"),
    (c: number) => press(c, "rep:t:hx_platforms:0"),
    (c: number) => press(c, "rep:d:hx_platforms"),
    (c: number) => text(c, "https://facebook.com/post/123"),
    (c: number) => text(c, "Pesan berantai bilang surat suara sudah dicoblos, itu bohong."),
    ...common.when,
    (c: number) => location(c, -6.2297, 106.8531),
    (c: number) => press(c, "rep:s:place_note"),
  ];
  const script: Array<(c: number) => Update> = [
    (c) => text(c, "/start"),
    (c) => press(c, "menu:report"),
    ...(id % 2 === 0 ? moneyPolitics : hoax),
    ...common.tail,
  ];
  let step = 0;
  return { next: () => (step < script.length ? script[step++]!(id) : undefined) };
}

/**
 * A citizen who starts a report and stops part-way (a draft stays in their session), for the memory benchmark:
 * 10 updates.
 */
export function draftingCitizen(id = newCitizenId()): Citizen {
  const script = [
    (c: number) => text(c, "/start"),
    (c: number) => press(c, "menu:report"),
    (c: number) => press(c, "rep:o:category:0"),
    (c: number) => press(c, "rep:t:mp_given:0"),
    (c: number) => press(c, "rep:d:mp_given"),
    (c: number) => text(c, "50rb"),
    (c: number) => text(c, "Tim sukses caleg nomor 3"),
    (c: number) => press(c, "rep:s:mp_beneficiary"),
    (c: number) => text(c, "sekitar 20"),
    (c: number) => text(c, "/help"),
  ];
  let step = 0;
  return { next: () => (step < script.length ? script[step++]!(id) : undefined) };
}
