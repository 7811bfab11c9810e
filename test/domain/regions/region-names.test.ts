import { describe, expect, it } from "vitest";
import { baseName, displayName, normalizeForSearch } from "../../../domain/regions/region-names.ts";
import { withinOneEdit } from "../../../domain/regions/region-search.ts";

describe("displayName", () => {
  it.each([
    ["province", "Daerah Khusus Ibukota Jakarta", "DKI Jakarta"],
    ["province", "DAERAH ISTIMEWA YOGYAKARTA", "DI Yogyakarta"],
    ["province", "Provinsi Kepulauan Bangka Belitung", "Kepulauan Bangka Belitung"],
    ["province", "KEPULAUAN BANGKA BELITUNG", "Kepulauan Bangka Belitung"],
    ["regency", "KABUPATEN ACEH SELATAN", "Kabupaten Aceh Selatan"],
    ["regency", "Kab. Aceh Selatan", "Kabupaten Aceh Selatan"],
    ["regency", "KOTA BANDA ACEH", "Kota Banda Aceh"],
    ["regency", "Kota Administrasi Jakarta Selatan", "Kota Jakarta Selatan"],
    ["regency", "Kabupaten Administrasi Kepulauan Seribu", "Kabupaten Kepulauan Seribu"],
    ["regency", "Kabupaten Pangkajene dan Kepulauan", "Kabupaten Pangkajene dan Kepulauan"],
    ["district", "Kota Bahagia", "Kota Bahagia"],
    ["district", "Timang gajah", "Timang Gajah"],
    ["district", "Muko-muko Bathin VII", "Muko-Muko Bathin VII"],
    ["district", "Na IX - X", "Na IX - X"],
    ["district", "2 x 11 Kayu Tanam", "2 x 11 Kayu Tanam"],
    ["district", "BTS. Ulu", "BTS. Ulu"],
    ["district", "KI'E", "Ki'e"],
    ["district", 'Ra"as', "Ra'as"],
    ["district", "Gunungsitoli Alo'oa", "Gunungsitoli Alo'oa"],
    ["district", "Konda/ Kondaga", "Konda/Kondaga"],
    ["district", "  Misool  (Misool Utara) ", "Misool (Misool Utara)"],
  ] as const)("%s %j → %j", (level, raw, expected) => {
    expect(displayName(level, raw)).toBe(expected);
  });
});

describe("baseName", () => {
  it("drops the regency prefix only", () => {
    expect(baseName("regency", "Kota Bandung")).toBe("Bandung");
    expect(baseName("regency", "Kabupaten Bandung Barat")).toBe("Bandung Barat");
    expect(baseName("district", "Kota Bahagia")).toBe("Kota Bahagia");
  });
});

describe("normalizeForSearch", () => {
  it("lower-cases, joins apostrophes and splits on other punctuation", () => {
    expect(normalizeForSearch("  Ra'as ")).toBe("raas");
    expect(normalizeForSearch("Fak-Fak")).toBe("fak fak");
    expect(normalizeForSearch("Kab. SLEMAN")).toBe("kab sleman");
    expect(normalizeForSearch("Tiro/Truseb")).toBe("tiro truseb");
    expect(normalizeForSearch("Bogor Ténggara")).toBe("bogor tenggara");
  });
});

describe("withinOneEdit", () => {
  it.each([
    ["sleman", "sleman", true],
    ["slemon", "sleman", true],
    ["slman", "sleman", true],
    ["slemaan", "sleman", true],
    ["selman", "sleman", true],
    ["slemna", "sleman", true],
    ["smelan", "sleman", false],
    ["slmn", "sleman", false],
    ["", "a", true],
  ] as const)("%j ~ %j: %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });

  it("compares against a prefix when given a length", () => {
    expect(withinOneEdit("jakrta", "jakarta selatan", 7)).toBe(true);
    expect(withinOneEdit("jakrta", "jakarta selatan", 6)).toBe(false);
    expect(withinOneEdit("jakrta", "jakarta selatan", 9)).toBe(false);
  });
});
