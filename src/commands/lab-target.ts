// Which cluster a lab command talks to, resolved here at the edge so the lab engine only ever gets a LabTarget.
// `--inventory FILE --target ID`: that student's hosts from a class inventory. Otherwise the current lab:
// <stateDir>/current-lab.json (written by `lab:up --provider simulated`) names an inventory and target;
// without it, the Vagrant lab in this project (`vagrant ssh-config`).
import { resolve } from 'node:path';
import { loadInventory, type InventoryStudent } from '../inventory/load.ts';
import type { LabTarget } from '../lab/session.ts';
import { readCurrentLab } from '../sim/provider.ts';
import { createSshPool } from '../ssh/pool.ts';
import { studentTargetName, targetsFromInventory } from '../ssh/targets.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { connectVagrantLab } from '../vagrant/connect.ts';
import { loadLabEnv } from './lab-env.ts';

export interface TargetOptions {
  readonly inventory?: string;
  readonly target?: string;
  readonly config?: string;
  readonly stateDir: string;
}

/** A target plus the id its lab memory is kept under. */
export interface SelectedTarget {
  readonly target: LabTarget;
  /** Distinct per cluster: inventory path + student id, or `vagrant:<project>`. */
  readonly memoryId: string;
  /** One line for the console: where the run goes. */
  readonly description: string;
}

function pickStudent(
  file: string,
  students: readonly InventoryStudent[],
  id: string | undefined,
): InventoryStudent {
  if (id === undefined) {
    if (students.length === 1 && students[0]) return students[0];
    throw new UserError(
      `${file} lists ${students.length} targets (${students.map((s) => s.id).join(', ')}): choose one with --target ID`,
      EXIT.usage,
    );
  }
  const student = students.find((s) => s.id === id);
  if (!student)
    throw new UserError(
      `${file}: no target ${JSON.stringify(id)}; the targets are ${students.map((s) => s.id).join(', ')}`,
      EXIT.usage,
    );
  return student;
}

async function inventoryTarget(file: string, id: string | undefined): Promise<SelectedTarget> {
  const inventory = await loadInventory(file);
  const student = pickStudent(file, inventory.students, id);
  const hosts = [student.master, ...student.workers].map((h) => h.name);
  const pool = createSshPool(targetsFromInventory({ students: [student] }));
  return {
    target: {
      name: student.id,
      executor: pool,
      resolveHost(labHost) {
        if (!hosts.includes(labHost))
          throw new UserError(
            `${file}: target ${student.id} has no host ${labHost} (it has ${hosts.join(', ')}); add it under workers`,
            EXIT.usage,
          );
        return studentTargetName(student.id, labHost);
      },
      close: () => pool.close(),
    },
    memoryId: `${resolve(file)}#${student.id}`,
    description: `${student.id} from ${file}`,
  };
}

async function vagrantTarget(config: string | undefined): Promise<SelectedTarget> {
  const env = await loadLabEnv(config !== undefined ? { config } : {});
  const pool = await connectVagrantLab(env);
  const hosts = pool.hostNames;
  return {
    target: {
      name: 'vagrant',
      executor: pool,
      resolveHost(labHost) {
        if (!hosts.includes(labHost))
          throw new UserError(
            `the Vagrant lab has no VM ${labHost} (it has ${hosts.join(', ')}); check nodes in ${env.configPath}`,
            EXIT.usage,
          );
        return labHost;
      },
      close: () => pool.close(),
      // The LoadBalancer check knows from this whether to expect an EXTERNAL-IP (and from which pool).
      facts: {
        metallb: env.config.metallb
          ? { enabled: env.config.metallb.enabled, pool: env.config.metallb.pool }
          : { enabled: false, pool: '' },
      },
    },
    memoryId: `vagrant:${env.projectDir}`,
    description: `the Vagrant lab in ${env.projectDir}`,
  };
}

export async function selectTarget(options: TargetOptions): Promise<SelectedTarget> {
  if (options.target !== undefined && options.inventory === undefined)
    throw new UserError('--target needs --inventory FILE (the class inventory that defines it)', EXIT.usage);
  if (options.inventory !== undefined) return inventoryTarget(options.inventory, options.target);
  const current = await readCurrentLab(options.stateDir);
  if (current) {
    const selected = await inventoryTarget(current.inventory, current.target);
    return { ...selected, description: `the simulated lab (${selected.description})` };
  }
  return vagrantTarget(options.config);
}
