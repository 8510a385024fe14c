// `lab:up --provider simulated`: labkit without VMs. Brings up the netns testbed (one cluster) whose master
// runs the simulated Kubernetes (src/sim), and records it as the current lab in <stateDir>/current-lab.json
// so lab:down / lab:status / lab:ssh (and the lab engine's default target) use it. Real OpenSSH hosts, the
// real kubectl, pods as real processes and real packets; the control plane is simulated (docs/simulator.md).
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadInventory } from '../inventory/load.ts';
import { createSshPool } from '../ssh/pool.ts';
import { quoteArgv } from '../ssh/quote.ts';
import { studentTargetName, targetsFromInventory } from '../ssh/targets.ts';
import type { SshTarget } from '../ssh/types.ts';
import { EXIT, UserError } from '../util/exit-codes.ts';

export const CURRENT_LAB_FILE = 'current-lab.json';

// Written by simulatedUp, read by every command that needs the current lab; extra fields a later version may
// add are ignored.
const currentLabSchema = z.object({
  provider: z.literal('simulated'),
  inventory: z.string().min(1),
  target: z.string().min(1),
});
export type CurrentLab = z.output<typeof currentLabSchema>;

/** The testbed code lives with the tests (test/testbed); loaded on demand so src/ does not depend on it statically. */
const TESTBED_MODULE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test',
  'testbed',
  'index.ts',
);

interface TestbedApi {
  testbedUp(options: {
    clusters: number;
    log?: (line: string) => void;
  }): Promise<{ paths: { inventory: string } }>;
  testbedDown(options?: { log?: (line: string) => void }): Promise<unknown>;
  studentId(cluster: number): string;
  /** The cluster's admin.conf (kubeadm's kubeconfig for kubernetes-admin, HTTPS to <master>:6443). */
  simulatedKubeconfig(cluster: number): string;
}

async function testbed(): Promise<TestbedApi> {
  if (!existsSync(TESTBED_MODULE))
    throw new UserError(
      `--provider simulated needs the testbed code (${TESTBED_MODULE}), which is part of a labkit source checkout.`,
      EXIT.usage,
    );
  return (await import(TESTBED_MODULE)) as TestbedApi;
}

/** Reads <stateDir>/current-lab.json; undefined when there is none (the Vagrant lab is current). */
export async function readCurrentLab(stateDir: string): Promise<CurrentLab | undefined> {
  const file = join(stateDir, CURRENT_LAB_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(
      `${file}: not JSON; remove it or run \`npm run lab:up -- --provider simulated\` again`,
      EXIT.usage,
    );
  }
  const parsed = currentLabSchema.safeParse(data);
  if (!parsed.success)
    throw new UserError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}; remove it or run \`npm run lab:up -- --provider simulated\` again`,
      EXIT.usage,
    );
  return parsed.data;
}

function requireLinuxRoot(): void {
  if (process.platform !== 'linux' || process.getuid?.() !== 0)
    throw new UserError(
      '--provider simulated needs Linux and root (it creates network namespaces, each with its own sshd). Run it with sudo, or use the Vagrant lab.',
      EXIT.usage,
    );
}

export async function simulatedUp(stateDir: string, log: (line: string) => void): Promise<number> {
  requireLinuxRoot();
  const api = await testbed();
  log(
    'Bringing up the simulated lab: three network-namespace hosts with real OpenSSH, the real kubectl, a simulated kube-apiserver on master-node and pods as real processes.',
  );
  const info = await api.testbedUp({ clusters: 1, log });
  const record: CurrentLab = {
    provider: 'simulated',
    inventory: resolve(info.paths.inventory),
    target: api.studentId(1),
  };
  await mkdir(stateDir, { recursive: true });
  // As lab:up does for the Vagrant lab: a kubectl on this machine works with KUBECONFIG=.lab/kubeconfig.
  // It holds the admin client key: mode 600, never printed.
  await copyFile(api.simulatedKubeconfig(1), join(stateDir, 'kubeconfig'));
  await chmod(join(stateDir, 'kubeconfig'), 0o600);
  await writeFile(join(stateDir, CURRENT_LAB_FILE), `${JSON.stringify(record, null, 2)}\n`);
  log(
    `The simulated lab is ready (a simulation, not a real cluster). Try: npm run lab:ssh -- master-node -- kubectl get nodes`,
  );
  return EXIT.ok;
}

export async function simulatedDown(stateDir: string, log: (line: string) => void): Promise<number> {
  requireLinuxRoot();
  const api = await testbed();
  await api.testbedDown({ log });
  await rm(join(stateDir, CURRENT_LAB_FILE), { force: true });
  await rm(join(stateDir, 'kubeconfig'), { force: true });
  log('Removed the simulated lab (testbed down), its current-lab.json and kubeconfig.');
  return EXIT.ok;
}

async function labTargets(lab: CurrentLab): Promise<SshTarget[]> {
  return targetsFromInventory(await loadInventory(lab.inventory)).filter((t) =>
    t.name.startsWith(`${lab.target}/`),
  );
}

export async function simulatedStatus(lab: CurrentLab, json: boolean): Promise<number> {
  const targets = await labTargets(lab);
  const pool = createSshPool(targets);
  try {
    const hosts = await Promise.all(
      targets.map(async (t) => {
        const r = await pool
          .exec(t.name, { argv: ['hostname'] }, { timeoutMs: 10_000 })
          .catch((e: unknown) => ({ exitCode: null, stdout: '', stderr: String(e) }));
        return { name: t.name.slice(lab.target.length + 1), address: t.host, answers: r.exitCode === 0 };
      }),
    );
    const master = studentTargetName(lab.target, 'master-node');
    const nodes = await pool
      .exec(
        master,
        {
          argv: [
            'kubectl',
            'get',
            'nodes',
            '-o',
            'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
          ],
        },
        { timeoutMs: 15_000 },
      )
      .catch(() => undefined);
    const ready = new Map(
      (nodes?.stdout ?? '')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ') as [string, string]),
    );
    const rows = hosts.map((h) => ({
      ...h,
      node: ready.get(h.name) === 'True' ? 'Ready' : ready.has(h.name) ? 'NotReady' : 'unknown',
    }));
    const healthy = rows.every((r) => r.answers && r.node === 'Ready');
    if (json)
      process.stdout.write(`${JSON.stringify({ provider: 'simulated', healthy, hosts: rows }, null, 2)}\n`);
    else {
      process.stdout.write('Simulated lab (netns testbed + simulated Kubernetes; not a real cluster)\n');
      process.stdout.write(`${'HOST'.padEnd(16)}${'ADDRESS'.padEnd(17)}${'SSH'.padEnd(10)}NODE\n`);
      for (const r of rows)
        process.stdout.write(
          `${r.name.padEnd(16)}${r.address.padEnd(17)}${(r.answers ? 'answers' : 'DOWN').padEnd(10)}${r.node}\n`,
        );
    }
    return healthy ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await pool.close();
  }
}

/** OpenSSH to a simulated lab host, with the testbed's key and strict known_hosts. */
export async function simulatedSsh(
  lab: CurrentLab,
  node: string | undefined,
  command: readonly string[],
): Promise<number> {
  const targets = await labTargets(lab);
  const names = targets.map((t) => t.name.slice(lab.target.length + 1));
  if (!node) throw new UserError(`lab:ssh needs a node: one of ${names.join(', ')}`, EXIT.usage);
  const target = targets.find((t) => t.name === studentTargetName(lab.target, node));
  if (!target)
    throw new UserError(
      `lab:ssh: unknown node "${node}"; the simulated lab has ${names.join(', ')}`,
      EXIT.usage,
    );
  const known = target.hostKey.mode === 'ignore' ? undefined : target.hostKey.knownHostsFile;
  const args = [
    ...(target.identityFile ? ['-i', target.identityFile] : []),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${known ?? '/dev/null'}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    ...(command.length === 0 ? ['-t'] : []),
    `${target.user}@${target.host}`,
    ...(command.length > 0 ? [quoteArgv(command)] : []),
  ];
  const result = await execa('ssh', args, { stdio: 'inherit', reject: false });
  return result.exitCode ?? EXIT.checkFailed;
}
