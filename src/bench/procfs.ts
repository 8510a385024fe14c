// CPU time the whole machine spent busy, from /proc/stat (Linux): a bench's runs on the simulated testbed
// are CPU-bound on this machine's cores, so the busy CPU-seconds of a run bound its wall time from below.
import { readFileSync } from 'node:fs';

/** Jiffies per second of /proc/stat (USER_HZ, 100 on every Linux architecture labkit runs on). */
const USER_HZ = 100;

/** Busy CPU-seconds of the machine since boot: user, nice, system, irq, softirq, steal of the `cpu` line. */
export function parseBusyCpuSeconds(stat: string): number {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat: no "cpu " line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 8 || f.some((n) => !Number.isFinite(n)))
    throw new Error(`/proc/stat: bad cpu line: ${line}`);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

export function busyCpuSeconds(): number {
  return parseBusyCpuSeconds(readFileSync('/proc/stat', 'utf8'));
}
