// After a restore each VM's clock is where it was when the snapshot was taken (its memory was saved with
// it): hours or days behind. TLS certificates, tokens and node leases all compare times, so the clocks are
// set from this computer's before anything waits for the cluster. No NTP needed (a lab may be offline).
import type { RemoteExecutor } from '../ssh/types.ts';

/** How far a node's clock may differ from the host's after the resync, beyond the read's round trip (a
 *  software-emulated VM under load loses seconds between the set and the read). */
export const MAX_SKEW_SEC = 10;

export interface ClockResync {
  readonly node: string;
  /** Seconds the node was behind the host before (negative: ahead). */
  readonly behindSec: number;
  /** The time (epoch seconds) its clock was set to. */
  readonly setToSec: number;
}

async function nodeSeconds(ssh: RemoteExecutor, node: string): Promise<number> {
  const out = await ssh.run(node, { argv: ['date', '+%s'] }, { timeoutMs: 30_000 });
  const value = Number(out.stdout.trim());
  if (!Number.isInteger(value)) throw new Error(`${node}: \`date +%s\` printed "${out.stdout.trim()}"`);
  return value;
}

export async function resyncClocks(
  ssh: RemoteExecutor,
  nodes: readonly string[],
  now: () => number = Date.now,
): Promise<ClockResync[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const before = await nodeSeconds(ssh, node);
      const hostSec = Math.floor(now() / 1000);
      // A number we computed, passed as one argv word: nothing for a shell to interpret.
      await ssh.run(node, { argv: ['date', '-u', '-s', `@${hostSec}`] }, { sudo: true, timeoutMs: 30_000 });
      // The node's reading lies somewhere in the round trip that fetched it (seconds on a loaded host or an
      // emulated VM): compare it with that interval, not with one host instant.
      const t0 = Math.floor(now() / 1000);
      const after = await nodeSeconds(ssh, node);
      const t1 = Math.ceil(now() / 1000);
      const skew = after < t0 ? after - t0 : after > t1 ? after - t1 : 0;
      if (Math.abs(skew) > MAX_SKEW_SEC)
        throw new Error(`${node}: its clock is still ${skew} s off this computer's after \`date -s\``);
      return { node, behindSec: hostSec - before, setToSec: hostSec };
    }),
  );
}

export function formatBehind(results: readonly ClockResync[]): string {
  const worst = Math.max(...results.map((r) => Math.abs(r.behindSec)));
  const amount =
    worst < 120
      ? `${worst} s`
      : worst < 7200
        ? `${Math.round(worst / 60)} min`
        : `${(worst / 3600).toFixed(1)} h`;
  return `clocks set from this computer on ${results.length} nodes (they were up to ${amount} off)`;
}
