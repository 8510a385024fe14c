// The host namespace's guard for the simulated pod and service ranges (issue 12, Safety): `unreachable`
// routes, so a packet for 172.16.0.0/16 or 172.17.0.0/16 that would otherwise follow the host's default
// route to the internet is refused at once (EHOSTUNREACH) and never leaves. `down` deletes them
// unconditionally, so a crashed simulator's leftovers go too.
import { sh, shQuiet } from './sh.ts';

export const GUARDED_RANGES = ['172.16.0.0/16', '172.17.0.0/16'] as const;

export async function ensureHostGuard(): Promise<void> {
  for (const cidr of GUARDED_RANGES) await sh('ip', ['route', 'replace', 'unreachable', cidr]);
}

export async function removeHostGuard(): Promise<void> {
  for (const cidr of GUARDED_RANGES) await shQuiet('ip', ['route', 'del', 'unreachable', cidr]);
}
