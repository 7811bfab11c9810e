import type { LoadFigures } from "./load.ts";

export type Figures = Record<string, number | string>;

/** The figures of one load run, as result lines `<label> <figure>`. */
export function record(out: Figures, label: string, f: LoadFigures): void {
  out[`${label} upd/s`] = f.updatesPerSecond;
  out[`${label} p50/p95/p99 ms`] = `${f.p50} / ${f.p95} / ${f.p99}`;
  out[`${label} cpu ms/update`] = f.cpuMsPerUpdate;
  out[`${label} cpu ms/update net of idle (idle ${f.idleCpuMsPerSecond} ms/s)`] = f.netCpuMsPerUpdate;
  out[`${label} peak rss MB`] = f.peakRssMb;
  out[`${label} updates`] = f.updates;
  if (f.failures > 0) out[`${label} non-200 answers`] = f.failures;
}

/** Awasi against the bare bot, with the targets of issue 10 (cpu ≤ 1.6×, throughput ≥ 0.6×, p99 ≤ 2×). */
export function compare(out: Figures, label: string, awasi: LoadFigures, bare: LoadFigures): void {
  const ratio = (a: number, b: number) => (b === 0 ? Number.NaN : Number((a / b).toFixed(2)));
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  const throughput = ratio(awasi.updatesPerSecond, bare.updatesPerSecond);
  const cpu = ratio(awasi.cpuMsPerUpdate, bare.cpuMsPerUpdate);
  const p99 = ratio(awasi.p99, bare.p99);
  out[`${label} ratio throughput (target >= 0.6)`] = `${throughput} ${verdict(throughput >= 0.6)}`;
  out[`${label} ratio cpu/update (target <= 1.6)`] = `${cpu} ${verdict(cpu <= 1.6)}`;
  const net = ratio(awasi.netCpuMsPerUpdate, bare.netCpuMsPerUpdate);
  out[`${label} ratio cpu/update net of idle polling`] = `${net} ${verdict(net <= 1.6)}`;
  out[`${label} ratio p99 (target <= 2)`] = `${p99} ${verdict(p99 <= 2)}`;
  out[`${label} awasi peak rss (target <= 250 MB)`] = `${awasi.peakRssMb} ${verdict(awasi.peakRssMb <= 250)}`;
}
