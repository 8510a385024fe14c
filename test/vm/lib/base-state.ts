// What the base provisioning phase leaves on a node, read over the SSH layer: the files it writes (content
// hash, inode, mtime: write_file replaces a file by rename, so a rewrite changes the inode even when the
// content is equal) and the kernel state it sets. Two snapshots equal = the second run changed nothing.
import type { RemoteExecutor } from '../../../src/ssh/types.ts';

export const BASE_FILES = [
  '/etc/fstab',
  '/etc/modules-load.d/k8s.conf',
  '/etc/sysctl.d/k8s.conf',
  '/etc/hosts',
  '/etc/default/kubelet',
] as const;

const SNAPSHOT_SCRIPT = `set -eu
for f in ${BASE_FILES.join(' ')}; do
  printf '%s %s %s\\n' "$f" "$(stat -c 'inode=%i mtime=%.9Y size=%s' "$f")" "$(sha256sum < "$f" | cut -c1-16)"
done
echo "swaps=$(awk 'NR > 1' /proc/swaps | wc -l)"
for m in overlay br_netfilter; do [ -d /sys/module/$m ] && echo "module=$m"; done
sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables`;

export interface NodeBaseState {
  readonly snapshot: string;
  readonly hosts: string;
  readonly kubeletDefaults: string;
}

export async function readBaseState(ssh: RemoteExecutor, node: string): Promise<NodeBaseState> {
  const snap = await ssh.run(node, { script: SNAPSHOT_SCRIPT }, { sudo: true, timeoutMs: 60_000 });
  const files = await ssh.run(
    node,
    { script: 'cat /etc/hosts; echo ---; cat /etc/default/kubelet' },
    { timeoutMs: 30_000 },
  );
  const [hosts = '', kubeletDefaults = ''] = files.stdout.split('\n---\n');
  return { snapshot: snap.stdout.trim(), hosts, kubeletDefaults: kubeletDefaults.trim() };
}

/** Problems with one node's base state (empty when it is what common.sh's base phase promises). */
export function baseStateProblems(
  node: { name: string; ip: string },
  state: NodeBaseState,
  lab: readonly { name: string; ip: string }[],
): string[] {
  const problems: string[] = [];
  const want = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${node.name}: ${what}`);
  };
  const lines = state.snapshot.split('\n');
  want(
    lines.includes('swaps=0'),
    `swap is on (${lines.find((l) => l.startsWith('swaps=')) ?? 'no swaps line'})`,
  );
  for (const m of ['overlay', 'br_netfilter'])
    want(lines.includes(`module=${m}`), `kernel module ${m} not loaded`);
  for (const key of [
    'net.ipv4.ip_forward',
    'net.bridge.bridge-nf-call-iptables',
    'net.bridge.bridge-nf-call-ip6tables',
  ])
    want(lines.includes(`${key} = 1`), `sysctl ${key} is not 1`);
  const hostLines = state.hosts.split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  for (const other of lab)
    want(hostLines.includes(`${other.ip} ${other.name}`), `/etc/hosts lacks "${other.ip} ${other.name}"`);
  const dupes = hostLines.filter((l, i) => l && !l.startsWith('#') && hostLines.indexOf(l) !== i);
  want(dupes.length === 0, `/etc/hosts has duplicate lines: ${dupes.join(' | ')}`);
  want(
    state.kubeletDefaults === `KUBELET_EXTRA_ARGS=--node-ip=${node.ip}`,
    `/etc/default/kubelet is "${state.kubeletDefaults}", expected KUBELET_EXTRA_ARGS=--node-ip=${node.ip}`,
  );
  return problems;
}
