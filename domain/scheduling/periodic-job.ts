/**
 * Runs `job` at start and then every `everyMs` (timer unref'd); `stop()` waits for the run in hand. A failing run
 * is reported through `onError` and the next one still comes.
 */
export function createPeriodicJob(
  name: string,
  job: () => Promise<void>,
  options: { everyMs: number; onError: (error: unknown) => void },
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    running = job().catch(options.onError);
  };
  return {
    name,
    start() {
      run();
      timer = setInterval(run, options.everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
