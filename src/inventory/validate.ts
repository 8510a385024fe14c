// What can be checked about an inventory before anything connects, beyond its shape: the key and known_hosts
// files it names exist and can be read, and each student's step overrides name steps the lab has. Every
// problem comes back at once, as `file:line key: reason`, so an instructor fixes the file in one pass.
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { formatKeyPath, type PathSegment, type SourceProblem } from '../util/yaml-source.ts';
import type { InventoryHost } from './host.ts';
import type { Inventory } from './load.ts';

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

async function readable(path: string): Promise<string | undefined> {
  try {
    await access(expandHome(path), constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? 'error'})`;
  }
}

/** Key and known_hosts files of every host (each distinct file checked once, reported where it is first used). */
export async function checkInventoryFiles(inventory: Inventory): Promise<SourceProblem[]> {
  const seen = new Set<string>();
  const problems: SourceProblem[] = [];
  const check = async (file: string, own: PathSegment[], what: string, fix: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // Point at the key that set the value: the host's own, else the default it inherited (resolveConnection
    // takes identityFile and hostKey from defaults for hosts and jump hosts alike).
    const fallback = [
      'defaults',
      ...(own.at(-2) === 'hostKey' ? ['hostKey', 'knownHostsFile'] : ['identityFile']),
    ];
    const path = inventory.hasKey(own) || !inventory.hasKey(fallback) ? own : fallback;
    const why = await readable(file);
    if (why)
      problems.push({
        file: inventory.file,
        line: inventory.lineOf(path),
        key: formatKeyPath(path),
        reason: `${what} ${file}: ${why}; ${fix}`,
      });
  };
  const hostFiles = async (host: Omit<InventoryHost, 'name' | 'jump'>, path: PathSegment[]) => {
    await check(host.identityFile, [...path, 'identityFile'], 'private key', 'fix identityFile');
    if (host.hostKey.mode === 'strict')
      await check(
        host.hostKey.knownHostsFile,
        [...path, 'hostKey', 'knownHostsFile'],
        'known_hosts',
        'collect the host keys (ssh-keyscan HOST >> FILE) or use hostKey.mode accept-new',
      );
  };
  for (const student of inventory.students) {
    const hosts = [['master', student.master] as const, ...student.workers.map((w, i) => [i, w] as const)];
    for (const [key, host] of hosts) {
      const path = key === 'master' ? [...student.path, 'master'] : [...student.path, 'workers', key];
      await hostFiles(host, path);
      if (host.jump) await hostFiles(host.jump, [...path, 'jump']);
    }
  }
  return problems;
}

/** Step overrides that name no step of the lab (by id or 1-based number). */
export function checkStepOverrides(
  inventory: Inventory,
  lab: { readonly name: string; readonly steps: readonly { readonly index: number; readonly id: string }[] },
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (const student of inventory.students)
    (student.overrides?.steps ?? []).forEach((ref, i) => {
      const known = lab.steps.some((s) => s.id === ref || s.index === ref || String(s.index) === ref);
      if (known) return;
      const path = [...student.path, 'overrides', 'steps', i];
      problems.push({
        file: inventory.file,
        line: inventory.lineOf(path),
        key: formatKeyPath(path),
        reason: `lab ${lab.name} has no step ${JSON.stringify(ref)} (its steps: ${lab.steps.map((s) => `${s.index} ${s.id}`).join(', ')})`,
      });
    });
  return problems;
}
