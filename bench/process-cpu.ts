// CPU time of other processes on this machine during a measurement (Linux /proc): the PostgreSQL server's
// backends, so the report can say where the two cores went. Returns null where /proc is not readable.
import { readdirSync, readFileSync } from "node:fs";

/** Sum of user + system CPU milliseconds of every process whose name is `name` (e.g. "postgres"). */
export function cpuMsOf(name: string): number | null {
  let total = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // gone meanwhile
      }
      const open = stat.indexOf("(");
      const close = stat.lastIndexOf(")");
      if (stat.slice(open + 1, close) !== name) continue;
      const fields = stat.slice(close + 2).split(" ");
      // Fields after the name: state is [0], utime [11], stime [12] (clock ticks, 100 per second on Linux).
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    }
  } catch {
    return null;
  }
  return total;
}
