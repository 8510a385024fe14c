// The iptables plumbing kube-proxy and Calico's Felix share on a node: a command in the node's netns, and
// "ensure this jump from a built-in chain" (iptables -C, then -I at the top when missing), which both
// do for their own chains on every sync.
import { execa } from 'execa';

export interface JumpRule {
  readonly table: 'nat' | 'filter';
  readonly chain: string;
  readonly args: readonly string[];
}

/** Runs `argv` inside `netns`; never rejects (callers read exitCode), bounded to 10 s. */
export async function inNetns(netns: string, argv: readonly string[], input?: string) {
  return execa('ip', ['netns', 'exec', netns, ...argv], {
    reject: false,
    timeout: 10_000,
    ...(input === undefined ? {} : { input }),
  });
}

/** Inserts each rule at the top of its chain unless it is there already; throws with iptables' reason. */
export async function ensureJumps(
  netns: string,
  rules: readonly JumpRule[],
  fail: (detail: string) => Error,
): Promise<void> {
  for (const rule of rules) {
    const base = ['iptables', '-w', '5', '-t', rule.table];
    const check = await inNetns(netns, [...base, '-C', rule.chain, ...rule.args]);
    if (check.exitCode === 0) continue;
    const insert = await inNetns(netns, [...base, '-I', rule.chain, '1', ...rule.args]);
    if (insert.exitCode !== 0) throw fail((insert.stderr || insert.stdout).trim());
  }
}
