// SSH to the lab's VMs: targets from `vagrant ssh-config` (Vagrant's own keys; its local VMs skip host-key checks
// because Vagrant writes `StrictHostKeyChecking no`), one pooled connection per VM.
import { createSshPool, type SshPool } from '../ssh/pool.ts';
import { targetsFromSshConfig } from '../ssh/targets.ts';
import type { SshTarget } from '../ssh/types.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { runVagrant, type VagrantOptions } from './run.ts';

/** Parses `vagrant ssh-config` output into targets; names the machines vagrant did not describe. */
export function vagrantTargets(text: string, cwd: string, expected: readonly string[] = []): SshTarget[] {
  const targets = targetsFromSshConfig(text, { cwd });
  const missing = expected.filter((name) => !targets.some((t) => t.name === name));
  if (missing.length > 0)
    throw new UserError(
      `vagrant ssh-config did not describe ${missing.join(', ')}; is the VM running? Try \`npm run lab:status\`, then \`npm run lab:up\`.`,
      EXIT.unreachable,
    );
  return targets;
}

export async function vagrantSshConfig(vagrant: VagrantOptions): Promise<string> {
  const out = await runVagrant(vagrant, ['ssh-config'], { timeoutMs: 120_000 });
  if (out.exitCode !== 0)
    throw new UserError(
      `vagrant ssh-config failed (exit ${out.exitCode}): ${out.stderr.trim() || out.stdout.trim()}\n` +
        'Are the VMs running? Check with `npm run lab:status`; start them with `npm run lab:up`.',
      EXIT.unreachable,
    );
  return out.stdout;
}

export async function connectVagrantLab(env: {
  readonly vagrant: VagrantOptions;
  readonly config: { readonly nodes: readonly { readonly name: string }[] };
}): Promise<SshPool> {
  const text = await vagrantSshConfig(env.vagrant);
  const targets = vagrantTargets(
    text,
    env.vagrant.cwd,
    env.config.nodes.map((n) => n.name),
  );
  return createSshPool(targets);
}
