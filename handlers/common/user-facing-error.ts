/**
 * An error whose locale key is shown to the user as is (a `namespace:key` of locales/). Anything else a
 * handler throws is logged and answered with a generic apology.
 */
export class UserFacingError extends Error {
  constructor(
    readonly localeKey: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(localeKey);
    this.name = "UserFacingError";
  }
}
