import { InlineKeyboard } from "grammy";
import type { RegionCatalog } from "../../domain/regions/region-catalog.ts";
import type { Translate } from "../common/context.ts";
import { SUB } from "./callbacks.ts";

const PAGE_SIZE = 10;

/** A screen of the area picker: HTML text and buttons. */
export interface PickerScreen {
  text: string;
  keyboard: InlineKeyboard;
}

function twoColumns(keyboard: InlineKeyboard, buttons: Array<[string, string]>): void {
  buttons.forEach(([label, data], index) => {
    keyboard.text(label, data);
    if (index % 2 === 1) keyboard.row();
  });
  if (buttons.length % 2 === 1) keyboard.row();
}

function pager(
  keyboard: InlineKeyboard,
  t: Translate,
  page: number,
  pages: number,
  data: (page: number) => string,
): void {
  if (pages <= 1) return;
  if (page > 1) keyboard.text(t("subscription:buttons.previous"), data(page - 1));
  if (page < pages) keyboard.text(t("subscription:buttons.next"), data(page + 1));
  keyboard.row();
}

/** Provinces, ten per page, and "all of Indonesia" (no area preference). */
export function provincePicker(t: Translate, regions: RegionCatalog, page: number): PickerScreen {
  const result = regions.children(null, { page, pageSize: PAGE_SIZE });
  const keyboard = new InlineKeyboard()
    .text(t("subscription:buttons.wholeCountry"), SUB.setArea("all"))
    .row();
  twoColumns(
    keyboard,
    result.items.map((region) => [region.name, SUB.province(region.code)]),
  );
  pager(keyboard, t, result.page, result.pageCount, SUB.provincePage);
  keyboard.text(t("subscription:buttons.back"), SUB.settings);
  return {
    text: t("subscription:pickProvince", { page: result.page, pages: result.pageCount }),
    keyboard,
  };
}

/** The regencies/cities of a province, ten per page, and "the whole province". Undefined for an unknown code. */
export function regencyPicker(
  t: Translate,
  regions: RegionCatalog,
  provinceCode: string,
  page: number,
): PickerScreen | undefined {
  const province = regions.get(provinceCode);
  if (province?.level !== "province") return undefined;
  const result = regions.children(province.code, { page, pageSize: PAGE_SIZE });
  const keyboard = new InlineKeyboard()
    .text(t("subscription:buttons.wholeProvince", { province: province.name }), SUB.setArea(province.code))
    .row();
  twoColumns(
    keyboard,
    result.items.map((region) => [region.name, SUB.setArea(region.code)]),
  );
  pager(keyboard, t, result.page, result.pageCount, (p) => SUB.regencyPage(province.code, p));
  keyboard.text(t("subscription:buttons.back"), SUB.provincePage(1));
  return {
    text: t("subscription:pickRegency", {
      province: province.name,
      page: result.page,
      pages: result.pageCount,
    }),
    keyboard,
  };
}
