// The VM lane's checks (run by test/vm/lane.sh inside its trap; do not run alone). Real VMs through the
// project's own commands: lab:up --until base (twice: the second changes nothing), the preflight refusal of a
// full run on the small lane VMs, a full run failing the way an unreachable package repository fails it (then
// retried: provisioned again, the same failure; then --until base succeeds again),
// lab:status, lab:ssh, the SSH layer (hostnames, eth1, node-to-node), `lab snapshot save` + `lab:reset`
// (a file written after the snapshot is gone, the base state as saved), lab:down. LABKIT_VM_BENCH=1 adds the
// measurements for docs/benchmarks.md (test/vm/bench.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../../src/config/load.ts';
import type { RemoteExecutor } from '../../src/ssh/types.ts';
import { connectVagrantLab } from '../../src/vagrant/connect.ts';
import { baseStateProblems, readBaseState, type NodeBaseState } from './lib/base-state.ts';
import { benchVm } from './bench.ts';
import { expectThat, Harness } from './lib/harness.ts';
import { npmRun, tail, type NpmRun } from './lib/npm-run.ts';
import { parseUpSummary } from './lib/summary.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the lane with \`npm run test:vm\` (test/vm/lane.sh run)`);
  return value;
};
const WORK = env('LABKIT_VM_WORK');
const CONFIG = env('LAB_CONFIG');
const STATE = env('LAB_STATE_DIR');
const PROJECT = process.cwd();
const config = await loadConfig(CONFIG);
const nodes = config.nodes.map((n) => ({ name: n.name, ip: n.ip }));
const names = nodes.map((n) => n.name);
const master = config.nodes.find((n) => n.role === 'control-plane')?.name ?? 'master-node';
const t = new Harness(WORK);
const run = (script: string, args: string[], timeoutMs: number, extraEnv: Record<string, string> = {}) =>
  npmRun(script, args, { timeoutMs, workDir: WORK, env: extraEnv });
const failedRun = (what: string, r: NpmRun) =>
  `${what} exited ${r.exitCode}\n--- stdout (end)\n${tail(r.stdout)}\n--- stderr (end)\n${tail(r.stderr)}`;
/** The lane's config sized for kubeadm's preflight (the full runs that fail at the package step). */
const FULL_CONFIG = join(WORK, 'lab.config.full.yaml');

/** A full lab:up stopped by the lane's unreachable package repository, named node, step and log. */
function expectPackageFailure(r: NpmRun): string {
  expectThat(r.exitCode === 1, failedRun('npm run lab:up (expected exit 1)', r));
  const want = [
    `vagrant provision failed on ${master} (exit 1): `,
    `${master} stopped in provisioner common, step packages.`,
    `Full log: ${join(STATE, 'logs', 'vagrant-up.log')}`,
  ];
  for (const line of want)
    expectThat(r.stderr.includes(line), `stderr lacks:\n${line}\n${failedRun('lab:up', r)}`);
  const apt = /(Failed to fetch|Could not connect|Unable to connect|Some index files failed)[^\n]*/.exec(
    r.stderr,
  );
  expectThat(apt !== null, `the message should carry apt's own error:\n${tail(r.stderr)}`);
  return apt[0].slice(0, 100);
}

/** The log section lab:up appended last (src/up/log-file.ts starts each run with a `--- <time> ---` line). */
async function lastLogSection(name: string): Promise<string> {
  const text = await readFile(join(STATE, 'logs', `${name}.log`), 'utf8');
  return text.slice(text.lastIndexOf('\n--- ') + 1);
}

async function upUntilBase(label: string): Promise<void> {
  const r = await run('lab:up', ['--until', 'base'], 25 * 60_000);
  expectThat(r.exitCode === 0, failedRun('npm run lab:up -- --until base', r));
  const rows = parseUpSummary(r.stdout);
  expectThat(
    rows.map((row) => `${row.phase}:${row.status}`).join(' ') === 'preflight:done base:done',
    `lab:up summary should list preflight and base done, got:\n${tail(r.stdout, 8)}`,
  );
  t.timing(`${label}-total`, r.ms);
  for (const row of rows) t.timing(`${label}-${row.phase}`, row.ms);
}

let ssh: RemoteExecutor | undefined;
const pool = (): RemoteExecutor => {
  if (!ssh) throw new Error('no SSH pool: discovery through vagrant ssh-config failed above');
  return ssh;
};
const before = new Map<string, NodeBaseState>();

await t.check(
  'lab:up --until base brings up the three VMs through the project Vagrantfile and runs the base phase',
  async () => {
    await upUntilBase('labup-base-first');
    const log = await lastLogSection('vagrant-base');
    for (const name of names)
      expectThat(
        log.includes(`[${name}]`) && new RegExp(`${name}: base phase done; stopping here`).test(log),
        `${name}: no "base phase done" line in .lab/logs/vagrant-base.log`,
      );
    return `${names.length} VMs, base phase done on each`;
  },
  { required: true },
);

await t.check(
  'the SSH layer discovers the VMs through vagrant ssh-config',
  async () => {
    ssh = await connectVagrantLab({ vagrant: { cwd: PROJECT, configPath: CONFIG }, config });
    const seen = await Promise.all(
      names.map(async (name) =>
        (await pool().run(name, { argv: ['hostname'] }, { timeoutMs: 30_000 })).stdout.trim(),
      ),
    );
    expectThat(
      seen.join(' ') === names.join(' '),
      `hostnames over SSH: ${seen.join(', ')}; expected ${names.join(', ')}`,
    );
    return seen.join(', ');
  },
  { required: true },
);

await t.check('each node has its lab address on eth1', async () => {
  const problems: string[] = [];
  for (const node of nodes) {
    const r = await pool().run(
      node.name,
      { argv: ['ip', '-4', '-o', 'addr', 'show', 'eth1'] },
      { timeoutMs: 30_000 },
    );
    if (!r.stdout.includes(` inet ${node.ip}/24 `))
      problems.push(`${node.name}: eth1 is "${r.stdout.trim()}", expected ${node.ip}/24`);
  }
  expectThat(problems.length === 0, problems.join('\n'));
});

await t.check('each node reaches the others on the lab network (ping and TCP 22)', async () => {
  const problems: string[] = [];
  await Promise.all(
    nodes.map(async (from) => {
      for (const to of nodes.filter((n) => n.name !== from.name)) {
        const ping = await pool().exec(
          from.name,
          { argv: ['ping', '-c', '1', '-W', '5', to.ip] },
          { timeoutMs: 30_000 },
        );
        if (ping.exitCode !== 0)
          problems.push(`${from.name} → ${to.ip}: ping exit ${ping.exitCode}: ${ping.stdout.trim()}`);
        // Also by name: the base phase wrote every node into /etc/hosts.
        const tcp = await pool().exec(
          from.name,
          { script: `timeout 10 bash -c '</dev/tcp/${to.name}/22'` },
          { timeoutMs: 30_000 },
        );
        if (tcp.exitCode !== 0)
          problems.push(`${from.name} → ${to.name}:22 (by name): exit ${tcp.exitCode} ${tcp.stderr.trim()}`);
      }
    }),
  );
  expectThat(problems.length === 0, problems.join('\n'));
  return `${nodes.length * (nodes.length - 1)} pairs`;
});

await t.check(
  'the base phase did its job on every node (swap off, modules, sysctl, /etc/hosts, kubelet node IP)',
  async () => {
    const problems: string[] = [];
    for (const node of nodes) {
      const state = await readBaseState(pool(), node.name);
      before.set(node.name, state);
      problems.push(...baseStateProblems(node, state, nodes));
    }
    expectThat(problems.length === 0, problems.join('\n'));
  },
  // Not required: the idempotency check below still runs against what the base phase did leave.
);

await t.check('a second lab:up --until base re-provisions the base phase and changes nothing', async () => {
  await upUntilBase('labup-base-second');
  const log = await lastLogSection('vagrant-base');
  const problems: string[] = [];
  for (const name of names) {
    // It really ran again (a skipped provisioner would trivially change nothing) ...
    if (!new RegExp(`${name}: base phase done; stopping here`).test(log))
      problems.push(`${name}: base phase did not run again`);
    // ... and its own log says every step was already done.
    for (const changed of [
      'turning swap off',
      'loading module',
      'applying /etc/sysctl.d',
      'written to /etc/default/kubelet',
    ])
      if (
        log.includes(`[${name}]`) &&
        log.split('\n').some((l) => l.startsWith(`[${name}]`) && l.includes(changed))
      )
        problems.push(`${name}: second run logged "${changed}"`);
    const state = await readBaseState(pool(), name);
    const old = before.get(name);
    if (!old || state.snapshot !== old.snapshot) {
      const a = (old?.snapshot ?? '').split('\n');
      const b = state.snapshot.split('\n');
      const diff = b.filter((l) => !a.includes(l)).map((l) => `now:    ${l}`);
      const gone = a.filter((l) => !b.includes(l)).map((l) => `before: ${l}`);
      problems.push(`${name}: base state changed:\n${[...gone, ...diff].join('\n')}`);
    }
  }
  expectThat(problems.length === 0, problems.join('\n'));
  return 'files (hash, inode, mtime) and kernel state identical';
});

await t.check(
  'a full lab:up on the 1 CPU / 768 MB lane VMs stops in preflight with the kubeadm minimums',
  async () => {
    const r = await run('lab:up', [], 5 * 60_000);
    const want = [
      `FAIL control-plane-size: ${master} has 1 CPU and 768 MB; kubeadm's preflight needs at least 2 CPUs and 1700 MB on the control plane`,
      `fix: Set nodes[0].cpus: 2 and nodes[0].memoryMb: 1700 (or more) in ${CONFIG}, or stop before kubeadm with \`npm run lab:up -- --until base\`.`,
    ];
    expectThat(r.exitCode === 2, failedRun('npm run lab:up (expected exit 2)', r));
    for (const line of want)
      expectThat(r.stderr.includes(line), `stderr lacks:\n${line}\n${failedRun('lab:up', r)}`);
  },
);

await t.check(
  'a full lab:up without package repositories stops naming the node, the provisioning step and the log',
  async () => {
    // Same lab with kubeadm-sized numbers in the config so preflight lets it through; the running VMs are
    // provisioned in full (they were left at the base phase), and the box's apt cannot reach any repository.
    const text = await readFile(CONFIG, 'utf8');
    const sized = text.replace(/cpus: 1\n(\s+)memoryMb: 768/, 'cpus: 2\n$1memoryMb: 1700');
    expectThat(sized !== text, `could not find the control-plane size in ${CONFIG}`);
    await writeFile(FULL_CONFIG, sized);
    const r = await run('lab:up', [], 15 * 60_000, { LAB_CONFIG: FULL_CONFIG });
    t.timing('labup-full-no-internet', r.ms);
    return expectPackageFailure(r);
  },
);

await t.check(
  'after that failure a second full lab:up provisions again and names the same failure (not "already running")',
  async () => {
    // Vagrant wrote its "provisioned" sentinel before the failed pass and the VMs still run: without
    // labkit's own record this run would skip the VMs and fail later at join.
    const r = await run('lab:up', [], 15 * 60_000, { LAB_CONFIG: FULL_CONFIG });
    t.timing('labup-full-retry', r.ms);
    const rows = parseUpSummary(r.stdout);
    const vms = rows.find((row) => row.phase === 'vms');
    expectThat(
      vms?.status === 'failed',
      `the vms phase should fail again, got ${vms?.status ?? 'no vms row'}:\n${tail(r.stdout, 10)}`,
    );
    expectThat(!/already running/.test(r.stdout + r.stderr), `a VM was skipped:\n${tail(r.stdout, 10)}`);
    expectThat(
      (await readFile(join(STATE, 'provisioned-until'), 'utf8')).trim() === 'incomplete',
      '.lab/provisioned-until should say incomplete after a failed pass',
    );
    return expectPackageFailure(r);
  },
);

await t.check(
  'lab:up --until base after the failed full runs provisions the base phase again and succeeds',
  async () => {
    await upUntilBase('labup-base-after-failure');
    const log = await lastLogSection('vagrant-base');
    const missing = names.filter((name) => !log.includes(`${name}: base phase done; stopping here`));
    expectThat(missing.length === 0, `no "base phase done" line for ${missing.join(', ')}`);
    const problems: string[] = [];
    for (const node of nodes)
      problems.push(...baseStateProblems(node, await readBaseState(pool(), node.name), nodes));
    expectThat(problems.length === 0, problems.join('\n'));
    return 'base phase done on every node, base state intact';
  },
);

await t.check('lab:status shows the three VMs running', async () => {
  const r = await run('lab:status', ['--json'], 5 * 60_000);
  // No Kubernetes on the lane's VMs: the lab is not "healthy" (exit 1), but the VM column must say running.
  let rows: { name: string; vm: string }[] = [];
  try {
    rows = (JSON.parse(r.stdout) as { rows: { name: string; vm: string }[] }).rows;
  } catch {
    throw new Error(failedRun('npm run lab:status -- --json (not JSON)', r));
  }
  const got = rows.map((row) => `${row.name}=${row.vm}`).join(' ');
  expectThat(got === names.map((n) => `${n}=running`).join(' '), `lab:status rows: ${got}`);
  const table = await run('lab:status', [], 5 * 60_000);
  for (const name of names)
    expectThat(
      new RegExp(`^${name} +\\S+ +running `, 'm').test(table.stdout),
      `table lacks "${name} ... running":\n${table.stdout}`,
    );
  return got;
});

await t.check(`lab:ssh -- ${master} -- hostname prints ${master}`, async () => {
  const r = await run('lab:ssh', [master, '--', 'hostname'], 2 * 60_000);
  expectThat(
    r.exitCode === 0 && r.stdout.trim() === master,
    failedRun(`npm run lab:ssh -- ${master} -- hostname`, r),
  );
});

if (process.env['LABKIT_VM_BENCH'] === '1') {
  await t.check('bench: ssh2 pool vs vagrant ssh, lab:up vs bare vagrant up', async () => {
    const result = await benchVm({
      ssh: pool(),
      project: PROJECT,
      config: CONFIG,
      nodes: names,
      timing: t.timing.bind(t),
    });
    return JSON.stringify(result);
  });
}

await ssh?.close();

{
  // Snapshot and lab:reset on real VMs (libvirt internal snapshots through vagrant-libvirt): the lane's VMs
  // are at the base phase here, so the snapshot is saved by hand (lab:up saves one only after its smoke
  // check, which needs Kubernetes). After it, a file is written and /etc/hosts changed on every node; the
  // reset must make both disappear and give back the base phase's files exactly (hash, inode, mtime).
  const MARKER = '/var/tmp/labkit-after-snapshot';
  const snapshotBase = new Map<string, NodeBaseState>();
  const freshPool = () => connectVagrantLab({ vagrant: { cwd: PROJECT, configPath: CONFIG }, config });

  await t.check(
    'lab snapshot save after lab:up --until base snapshots the three VMs (base OS only)',
    async () => {
      const before = await freshPool();
      try {
        for (const name of names) snapshotBase.set(name, await readBaseState(before, name));
      } finally {
        await before.close();
      }
      const r = await run('lab', ['snapshot', 'save'], 20 * 60_000);
      t.timing('snapshot-save', r.ms);
      const want = `Saved snapshot labkit-ready of ${names.join(', ')} (base OS only: lab:reset will not wait for Kubernetes).`;
      expectThat(
        r.exitCode === 0 && r.stdout.includes(want),
        `${failedRun('npm run lab -- snapshot save', r)}\nexpected: ${want}`,
      );
      const list = await run('lab', ['snapshot', 'list'], 5 * 60_000);
      for (const name of names)
        expectThat(
          new RegExp(`^${name} +labkit-ready$`, 'm').test(list.stdout),
          `lab snapshot list lacks "${name} labkit-ready":\n${list.stdout}`,
        );
      return `saved in ${(r.ms / 1000).toFixed(0)} s`;
    },
    { required: true },
  );

  await t.check('after the snapshot: a file written and /etc/hosts changed on every node', async () => {
    const after = await freshPool();
    try {
      for (const name of names)
        await after.run(
          name,
          {
            script: `echo written-after-the-snapshot > ${MARKER}; echo '10.9.9.9 not-in-the-snapshot' >> /etc/hosts`,
          },
          { sudo: true, timeoutMs: 60_000 },
        );
    } finally {
      await after.close();
    }
  });

  await t.check(
    'npm run lab:reset restores every VM and sets their clocks (no Kubernetes to wait for)',
    async () => {
      const r = await run('lab:reset', [], 20 * 60_000);
      t.timing('lab-reset', r.ms);
      for (const line of [
        'restoring snapshot labkit-ready (taken ',
        'vagrant snapshot restore: ',
        'clocks set from this computer on 3 nodes',
        'the snapshot holds the base OS only (no Kubernetes): nothing more to wait for',
        'lab:reset done in ',
      ])
        expectThat(
          r.exitCode === 0 && r.stdout.includes(line),
          `stdout lacks "${line}"\n${failedRun('npm run lab:reset', r)}`,
        );
      return `${(r.ms / 1000).toFixed(0)} s`;
    },
    { required: true },
  );

  await t.check(
    'after lab:reset the file is gone, /etc/hosts is back, the base phase state is intact, clocks agree',
    async () => {
      const after = await freshPool();
      const problems: string[] = [];
      try {
        for (const node of nodes) {
          const marker = await after.exec(node.name, { argv: ['test', '-e', MARKER] }, { timeoutMs: 30_000 });
          if (marker.exitCode !== 1)
            problems.push(`${node.name}: ${MARKER} still there (test -e exit ${marker.exitCode})`);
          const state = await readBaseState(after, node.name);
          problems.push(...baseStateProblems(node, state, nodes));
          const saved = snapshotBase.get(node.name);
          if (!saved || state.snapshot !== saved.snapshot)
            problems.push(
              `${node.name}: base state differs from the snapshot's:\nsnapshot: ${saved?.snapshot ?? '(none)'}\nnow:      ${state.snapshot}`,
            );
          if (state.hosts.includes('not-in-the-snapshot'))
            problems.push(`${node.name}: /etc/hosts kept the line added after the snapshot`);
          const clock = Number(
            (await after.run(node.name, { argv: ['date', '+%s'] }, { timeoutMs: 30_000 })).stdout.trim(),
          );
          const skew = clock - Math.floor(Date.now() / 1000);
          if (Math.abs(skew) > 10)
            problems.push(`${node.name}: clock ${skew} s off the host's after the reset`);
        }
      } finally {
        await after.close();
      }
      expectThat(problems.length === 0, problems.join('\n'));
      return 'marker gone, /etc/hosts as saved, files (hash, inode, mtime) identical, clocks within 10 s';
    },
  );
}

await t.check(
  'lab:down --force destroys every VM and the lab networks',
  async () => {
    const r = await run('lab:down', ['--force'], 10 * 60_000);
    t.timing('labdown', r.ms);
    expectThat(r.exitCode === 0, failedRun('npm run lab:down -- --force', r));
    const virsh = async (...args: string[]) =>
      (
        await execa('virsh', ['-c', 'qemu:///system', ...args], { reject: false, timeout: 60_000 })
      ).stdout.trim();
    const domains = await virsh('list', '--all', '--name');
    expectThat(domains === '', `domains left after lab:down: ${domains}`);
    const nets = await virsh('net-list', '--all', '--name');
    return `domains: none; networks left for the lane teardown: ${nets.replace(/\n/g, ' ') || 'none'}`;
  },
  { always: true },
);

const { failed, skipped } = t.summary();
process.exitCode = failed + skipped === 0 ? 0 : 1;
