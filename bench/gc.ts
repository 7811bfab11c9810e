import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A function that runs a full garbage collection, so heap figures show what is retained rather than garbage:
 * `global.gc` when Node runs with `--expose-gc`, else V8's flag set at run time; a no-op if neither works.
 */
export function forceGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return () => {};
  }
}
