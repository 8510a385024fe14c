// The pods of the testbed's simulated clusters on this machine: each pod sandbox is a network namespace
// `lkpod-c<cluster>-<12 hex>` (src/sim/kubelet) whose processes are the pod's containers, and whose eth0
// is one end of the veth to its node (the node's end goes with it). `down` and `up` remove them even when
// the apiserver that ran them was killed (kill -9): every process in the namespace, then the namespace.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findCgroups, removeCgroup } from '../../src/sim/runtime/cgroup.ts';
import { listNetns, netnsPids } from './network.ts';
import { NETNS_ETC } from './paths.ts';
import { shQuiet } from './sh.ts';

const POD_NETNS = /^lkpod-c([1-9]|1\d|2[0-4])-[0-9a-f]{12}$/;

/** The length of the pod netns name a cgroup name starts with (`lkpod-c<n>-<12 hex>`), or 0. */
const POD_NETNS_LENGTH = (name: string): number => /^lkpod-c\d+-[0-9a-f]{12}/.exec(name)?.[0].length ?? 0;

export function isPodNetns(name: string, cluster?: number): boolean {
  const m = POD_NETNS.exec(name);
  return m !== null && (cluster === undefined || Number(m[1]) === cluster);
}

/** Every process whose command line names `marker` (a container launcher or the DNS server of a pod
 *  under the testbed's directory), with all its descendants (the container's own processes). */
async function processTrees(marker: string): Promise<number[]> {
  const parent = new Map<number, number>();
  const roots: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parent.set(pid, ppid);
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) roots.push(pid);
  }
  const all = new Set(roots);
  let grown = true;
  while (grown) {
    grown = false;
    for (const [pid, ppid] of parent)
      if (!all.has(pid) && all.has(ppid)) {
        all.add(pid);
        grown = true;
      }
  }
  return [...all].filter((pid) => pid !== process.pid);
}

const kill = (pid: number): void => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
};

/** Kills every pod process of `cluster` (all clusters when undefined) and removes the pod namespaces.
 *  `podsMarker` (the testbed's clusters directory) also finds containers whose namespace is not visible
 *  from here (made by an apiserver in another mount namespace). */
export async function removePodSandboxes(cluster?: number, podsMarker?: string): Promise<string[]> {
  if (podsMarker) for (const pid of await processTrees(podsMarker)) kill(pid);
  const pods = (await listNetns()).filter((n) => isPodNetns(n, cluster));
  await Promise.all(
    pods.map(async (netns) => {
      // SIGKILL at once: a container's PID 1 ignores SIGTERM without a handler, and nobody waits for them.
      for (const pid of await netnsPids(netns))
        if (pid !== process.pid) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
      await shQuiet('ip', ['netns', 'del', netns]);
      await rm(`${NETNS_ETC}/${netns}`, { recursive: true, force: true });
    }),
  );
  // The containers' cgroups (`<pod netns>-<container>`, src/sim/runtime/cgroup.ts): emptied, then removed.
  const cgroups = await findCgroups((name) => isPodNetns(name.slice(0, POD_NETNS_LENGTH(name)), cluster));
  for (const dir of cgroups) {
    const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    for (const pid of procs.split('\n').filter(Boolean)) kill(Number(pid));
  }
  await removeCgroup(cgroups);
  return pods;
}
