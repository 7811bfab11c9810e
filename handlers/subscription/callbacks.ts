/**
 * Callback data of the subscription feature (prefix `sub:`, far under Telegram's 64 bytes: region codes are at
 * most 5 characters here). `sub:on` and `sub:off` also sit under every announcement (the one-tap unsubscribe).
 */
export const SUB = {
  on: "sub:on",
  off: "sub:off",
  settings: "sub:set",
  language: "sub:lang",
  setLanguage: (locale: string) => `sub:lang:${locale}`,
  provincePage: (page: number) => `sub:ap:${page}`,
  province: (code: string) => `sub:pv:${code}`,
  regencyPage: (provinceCode: string, page: number) => `sub:rp:${provinceCode}:${page}`,
  /** "all" clears the area preference. */
  setArea: (code: string) => `sub:area:${code}`,
} as const;

export const PROVINCE_PAGE = /^sub:ap:(\d{1,2})$/;
export const PROVINCE = /^sub:pv:(\d{2})$/;
export const REGENCY_PAGE = /^sub:rp:(\d{2}):(\d{1,2})$/;
export const SET_AREA = /^sub:area:(all|\d{2}(?:\.\d{2})?)$/;
export const SET_LANGUAGE = /^sub:lang:(\w{2})$/;
