import {
  type Context,
  Composer as GrammyComposer,
  type Middleware,
  type MiddlewareFn,
  type NextFunction,
} from "grammy";

type MaybePromise<T> = T | Promise<T>;
/** One registered middleware; a filter's predicate is checked in place, so a filter that does not match costs no call. */
interface Step<C extends Context> {
  when?: (ctx: C) => MaybePromise<boolean>;
  run: MiddlewareFn<C>;
  /** Set when `run` is one of these composers' (every `use` and `filter` makes one). */
  composer?: Composer<C>;
}

/**
 * grammY's Composer with the same methods and the same order of middleware, run with less work per update.
 *
 * Every feature registers its commands and buttons as filters, so a plain private text passes some 70 of them
 * before a handler takes it. grammY runs each filter through `lazy`: per update and per filter two async
 * functions, a new Composer and four promises, whether or not it matches; that was the largest item of Awasi's
 * own CPU per update, with the garbage it leaves (bench/RESULTS.md). Here the middleware of a composer is an
 * array walked by index, and a filter's predicate is checked in that walk: a filter that does not match costs the
 * predicate and nothing else (no closure, no promise).
 *
 * Only `use` and `filter` (which `on`, `command`, `callbackQuery`, `chatType`, `drop`… call) and `lazy` (which
 * `branch` and `route` call) are replaced; every other method is grammY's, built on these.
 */
export class Composer<C extends Context> extends GrammyComposer<C> {
  private readonly steps: Step<C>[];

  constructor(...middleware: Array<Middleware<C>>) {
    super();
    this.steps = middleware.map(stepOf);
  }

  override middleware(): MiddlewareFn<C> {
    return this.run;
  }

  override use(...middleware: Array<Middleware<C>>): GrammyComposer<C> {
    const composer = new Composer<C>(...middleware);
    this.steps.push({ run: composer.run, composer });
    return composer;
  }

  override filter<D extends C>(
    predicate: (ctx: C) => ctx is D,
    ...middleware: Array<Middleware<D>>
  ): GrammyComposer<D>;
  override filter(
    predicate: (ctx: C) => MaybePromise<boolean>,
    ...middleware: Array<Middleware<C>>
  ): GrammyComposer<C>;
  override filter(
    predicate: (ctx: C) => MaybePromise<boolean>,
    ...middleware: Array<Middleware<C>>
  ): GrammyComposer<C> {
    const composer = new Composer<C>(...middleware);
    this.steps.push({ when: predicate, run: composer.run, composer });
    return composer;
  }

  override lazy(middlewareFactory: (ctx: C) => MaybePromise<MaybeArray<Middleware<C>>>): GrammyComposer<C> {
    return this.use(async (ctx, next) => {
      const middleware = await middlewareFactory(ctx);
      await new Composer<C>(...(Array.isArray(middleware) ? middleware : [middleware])).run(ctx, next);
    });
  }

  /** This composer's middleware (the same function every time). */
  readonly run = (ctx: C, next: NextFunction): Promise<void> => this.runFrom(0, ctx, next);

  /** Runs the steps from `index` on; `next` continues after this composer. */
  private runFrom(index: number, ctx: C, next: NextFunction): Promise<void> {
    for (let i = index; i < this.steps.length; i++) {
      const step = this.steps[i]!;
      if (step.when === undefined) return this.enter(step, i, ctx, next);
      const verdict = step.when(ctx);
      if (verdict instanceof Promise)
        return verdict.then((yes) => (yes ? this.enter(step, i, ctx, next) : this.runFrom(i + 1, ctx, next)));
      if (verdict) return this.enter(step, i, ctx, next);
    }
    return next();
  }

  private enter(step: Step<C>, index: number, ctx: C, next: NextFunction): Promise<void> {
    // `use(fn)` wraps fn in a composer of one step (so that calls can be chained on it): run fn itself.
    let inner = step;
    while (inner.composer?.steps.length === 1 && inner.composer.steps[0]!.when === undefined)
      inner = inner.composer.steps[0]!;
    let called = false;
    const result = inner.run(ctx, () => {
      // grammY's own guard: a middleware that calls `next` twice would run the rest of the tree twice.
      if (called) throw new Error("`next` already called before!");
      called = true;
      return this.runFrom(index + 1, ctx, next);
    });
    return Promise.resolve(result) as Promise<void>; // the same promise when it is one
  }
}

type MaybeArray<T> = T | T[];

/** A middleware as a step; another kind of composer is asked for its middleware on each run, as grammY does. */
function stepOf<C extends Context>(middleware: Middleware<C>): Step<C> {
  if (middleware instanceof Composer) return { run: middleware.run, composer: middleware };
  if (typeof middleware === "function") return { run: middleware };
  return { run: (ctx, next) => middleware.middleware()(ctx, next) };
}
