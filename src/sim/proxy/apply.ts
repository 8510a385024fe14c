// Writes rendered rules into a node's network namespace the way kube-proxy syncs: one iptables-restore
// --noflush transaction in which every chain of ours is declared (so flushed and rewritten) and the stale
// KUBE-SVC/SVL/EXT/SEP chains of the last sync are flushed and deleted; the built-in chains keep everything
// else. Skipped when the text equals the node's last applied one; one sync at a time per node.
import { ensureJumps, inNetns } from './netns-iptables.ts';
import { JUMP_RULES } from './rules.ts';

const PER_SERVICE_CHAIN = /^:(KUBE-(?:SVC|SVL|EXT|SEP|FW)-[A-Z2-7]{16})\s/gm;

export class ProxyApplyError extends Error {
  constructor(
    readonly netns: string,
    readonly detail: string,
  ) {
    super(`kube-proxy: syncing the rules in network namespace ${netns} failed: ${detail}`);
    this.name = 'ProxyApplyError';
  }
}

/** Adds flush-and-delete lines for per-service chains present now but absent from `text`. */
export function withStaleChainsDeleted(text: string, existingNat: string): string {
  const wanted = new Set([...text.matchAll(PER_SERVICE_CHAIN)].map((m) => m[1]));
  const stale = [...existingNat.matchAll(PER_SERVICE_CHAIN)]
    .map((m) => m[1] ?? '')
    .filter((c) => !wanted.has(c));
  if (stale.length === 0) return text;
  const natStart = text.indexOf('*nat\n');
  const commit = text.indexOf('COMMIT\n', natStart);
  if (natStart < 0 || commit < 0) return text;
  const head = text.slice(0, natStart + '*nat\n'.length);
  const body = text.slice(natStart + '*nat\n'.length, commit);
  return (
    head +
    stale.map((c) => `:${c} - [0:0]\n`).join('') +
    body +
    stale.map((c) => `-X ${c}\n`).join('') +
    text.slice(commit)
  );
}

/** One applier per simulator process: remembers the last text and serialises syncs per node netns. */
export class RuleApplier {
  private readonly last = new Map<string, string>();
  private readonly queue = new Map<string, Promise<unknown>>();

  /** Applies `text` (renderRules' output) in `netns`; resolves to false when it was already there. */
  apply(netns: string, text: string): Promise<boolean> {
    const previous = this.queue.get(netns) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.sync(netns, text));
    this.queue.set(netns, run);
    return run;
  }

  /** Forgets a node (its netns is gone): the next apply rewrites everything. */
  forget(netns: string): void {
    this.last.delete(netns);
  }

  private async sync(netns: string, text: string): Promise<boolean> {
    if (this.last.get(netns) === text) return false;
    const saved = await inNetns(netns, ['iptables-save', '-t', 'nat']);
    if (saved.exitCode !== 0) throw new ProxyApplyError(netns, (saved.stderr || saved.stdout).trim());
    const restored = await inNetns(
      netns,
      ['iptables-restore', '-w', '5', '--noflush'],
      withStaleChainsDeleted(text, saved.stdout),
    );
    if (restored.exitCode !== 0) {
      this.last.delete(netns);
      throw new ProxyApplyError(netns, (restored.stderr || restored.stdout).trim());
    }
    await ensureJumps(netns, JUMP_RULES, (detail) => new ProxyApplyError(netns, detail));
    this.last.set(netns, text);
    return true;
  }
}
