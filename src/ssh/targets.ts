// SshTarget[] from `vagrant ssh-config` output (parsed with the ssh-config package) or from an inventory.
import { isAbsolute, resolve } from 'node:path';
import SSHConfig from 'ssh-config';
import { DEFAULT_KNOWN_HOSTS, type HostKeyPolicy, type InventoryHost } from '../inventory/host.ts';
import type { SshTarget } from './types.ts';

export interface SshConfigTargetOptions {
  /** Directory that relative IdentityFile paths are resolved against (vagrant prints absolute paths). */
  readonly cwd?: string;
  readonly connectTimeoutSec?: number;
}

type Computed = Record<string, string | string[]>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Host names of the `Host` sections, in file order (patterns with wildcards are skipped). */
function hostNames(config: SSHConfig): string[] {
  const names: string[] = [];
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values = typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
    for (const name of values) if (name && !/[*?!]/.test(name)) names.push(name);
  }
  return names;
}

function hostKeyPolicy(computed: Computed): HostKeyPolicy {
  const strict = (first(computed['StrictHostKeyChecking']) ?? 'ask').toLowerCase();
  if (strict === 'no' || strict === 'off') return { mode: 'ignore' };
  const knownHostsFile = first(computed['UserKnownHostsFile'])?.split(/\s+/)[0] ?? DEFAULT_KNOWN_HOSTS;
  return strict === 'accept-new'
    ? { mode: 'accept-new', knownHostsFile }
    : { mode: 'strict', knownHostsFile };
}

function resolvePath(path: string, cwd: string | undefined): string {
  if (path.startsWith('~') || isAbsolute(path) || cwd === undefined) return path;
  return resolve(cwd, path);
}

/** One target per `Host` in `vagrant ssh-config` output (origin 'vagrant'; StrictHostKeyChecking no → ignore). */
export function targetsFromSshConfig(text: string, options: SshConfigTargetOptions = {}): SshTarget[] {
  const config = SSHConfig.parse(text);
  return hostNames(config).map((name) => {
    const computed = config.compute(name);
    const port = Number(first(computed['Port']) ?? '22');
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new Error(`ssh-config: Host ${name} has an invalid Port "${first(computed['Port'])}"`);
    const identityFile = first(computed['IdentityFile']);
    return {
      name,
      host: first(computed['HostName']) ?? name,
      port,
      user: first(computed['User']) ?? 'vagrant',
      ...(identityFile ? { identityFile: resolvePath(identityFile, options.cwd) } : {}),
      hostKey: hostKeyPolicy(computed),
      ...(options.connectTimeoutSec ? { connectTimeoutSec: options.connectTimeoutSec } : {}),
      origin: 'vagrant' as const,
    };
  });
}

/** The slice of a loaded inventory (src/inventory) that targets are built from. */
export interface InventoryHosts {
  readonly students: readonly {
    readonly id: string;
    readonly master: InventoryHost;
    readonly workers: readonly InventoryHost[];
  }[];
}

function inventoryTarget(name: string, host: Omit<InventoryHost, 'name'>): SshTarget {
  return {
    name,
    host: host.host,
    port: host.port,
    user: host.user,
    identityFile: host.identityFile,
    hostKey: host.hostKey,
    ...(host.connectTimeoutSec !== undefined ? { connectTimeoutSec: host.connectTimeoutSec } : {}),
    ...(host.jump ? { jump: inventoryTarget(`${name} (jump ${host.jump.host})`, host.jump) } : {}),
    origin: 'inventory',
  };
}

/** Target name for a student's host: `alice/master-node`. */
export function studentTargetName(studentId: string, hostName: string): string {
  return `${studentId}/${hostName}`;
}

/** Every master and worker of every student, named `student/host` (origin 'inventory'). */
export function targetsFromInventory(inventory: InventoryHosts): SshTarget[] {
  return inventory.students.flatMap((student) =>
    [student.master, ...student.workers].map((host) =>
      inventoryTarget(studentTargetName(student.id, host.name), host),
    ),
  );
}
