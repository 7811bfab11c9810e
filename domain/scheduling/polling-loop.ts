/**
 * Runs `tick` again and again: at once while it reports more work, otherwise after `idleMs` or an earlier
 * `wake()`. A failing tick is reported and the loop goes on. `stop()` lets the tick in hand finish.
 */
export function createPollingLoop(
  tick: () => Promise<boolean>,
  options: { idleMs: number; onError: (error: unknown) => void },
) {
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  async function run(): Promise<void> {
    while (running) {
      let moreWork = false;
      try {
        moreWork = await tick();
      } catch (error) {
        options.onError(error);
      }
      if (moreWork || !running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.idleMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
    wake: (): void => wakeUp?.(),
  };
}
