// lab:up orchestration against a stub `vagrant` executable (test/helpers/bin/vagrant) and a fake cluster
// behind the SSH interface: success, re-run, a failing VM, each preflight failure, broken clusters.
import { execa } from 'execa';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { LabConfig } from '../../../src/config/schema.ts';
import { setLanguage } from '../../../src/i18n/index.ts';
import type { HostProbe } from '../../../src/preflight/host.ts';
import type { UpContext } from '../../../src/up/context.ts';
import { formatSummary, runLabUp } from '../../../src/up/run.ts';
import { FakeLabExecutor, type FakeLabOptions } from '../../helpers/fake-lab-executor.ts';
import { stubLabWorkspace } from '../../helpers/stub-lab-workspace.ts';
import { fakeHost } from '../../helpers/host-probe.ts';
import { describeWithTools } from '../../helpers/with-tools.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A lab:up here runs the stub vagrant (a node process) a dozen times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });
const STUB_VAGRANT = join(ROOT, 'test/helpers/bin/vagrant');
const DEFAULT_CONFIG = await readFile(join(ROOT, 'lab.config.yaml'), 'utf8');

interface Lab {
  dir: string;
  stubDir: string;
  config: LabConfig;
  configPath: string;
}

async function makeLab(configText = DEFAULT_CONFIG, machines = 'not_created'): Promise<Lab> {
  return stubLabWorkspace('labkit-up-', configText, machines);
}

function hostProbe(
  overrides: Partial<HostProbe> & { missing?: string[]; files?: Record<string, string> } = {},
): HostProbe {
  const { missing = [], files = {}, ...rest } = overrides;
  // A Linux machine with VirtualBox 7.0 (VBoxManage on PATH) and libvirt (test/helpers/host-probe.ts).
  const host = fakeHost({
    platform: 'linux',
    env: { PATH: '/usr/bin:/bin', HOME: '/home/student' },
    files: { ...(missing.includes('VBoxManage') ? {} : { '/usr/bin/VBoxManage': '' }), ...files },
    commands: {
      '/usr/bin/VBoxManage --version': '7.0.20r163906\n',
      'uname -m': 'x86_64\n',
      ...(missing.includes('virsh') ? {} : { 'virsh --version': '9.0.0\n' }),
    },
    fallback: async (bin, args) => {
      const result = await execa(bin, args, { reject: false, env: process.env });
      if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
      return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout) };
    },
    missing,
  });
  return { ...host, ...rest };
}

function context(
  lab: Lab,
  ssh: FakeLabExecutor,
  host = hostProbe(),
  env: Record<string, string> = {},
): UpContext {
  return {
    config: lab.config,
    configPath: lab.configPath,
    projectDir: lab.dir,
    stateDir: join(lab.dir, '.lab'),
    vagrant: {
      cwd: lab.dir,
      configPath: lab.configPath,
      bin: STUB_VAGRANT,
      env: { STUB_VAGRANT_DIR: lab.stubDir, ...env },
    },
    host,
    connect: async () => ssh,
    waits: { readyTimeoutMs: 2_000, pollIntervalMs: 10 },
  };
}

function fakeCluster(lab: Lab, extra: Partial<FakeLabOptions> = {}): FakeLabExecutor {
  const master = lab.config.nodes.find((n) => n.role === 'control-plane');
  return new FakeLabExecutor({
    master: master?.name ?? '',
    masterIp: master?.ip ?? '',
    workers: lab.config.nodes.filter((n) => n.role === 'worker').map((n) => ({ name: n.name, ip: n.ip })),
    ...extra,
  });
}

async function vagrantCalls(
  lab: Lab,
): Promise<{ args: string[]; LAB_CONFIG: string; LAB_PROVISION_UNTIL: string | null }[]> {
  const text = await readFile(join(lab.stubDir, 'calls.log'), 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { args: string[]; LAB_CONFIG: string; LAB_PROVISION_UNTIL: string | null });
}

describe('lab:up', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await makeLab();
  });

  test('brings a fresh lab up through every phase', async () => {
    const ssh = fakeCluster(lab);
    const report = await runLabUp(context(lab, ssh), { renderer: 'silent' });
    expect(report.error).toBeUndefined();
    expect(report.outcomes.map((o) => [o.phase, o.status])).toEqual([
      ['preflight', 'done'],
      ['base', 'skipped'],
      ['vms', 'done'],
      ['join', 'done'],
      ['ready', 'done'],
      ['metallb', 'done'],
      ['kubeconfig', 'done'],
      ['smoke', 'done'],
      ['snapshot', 'done'],
    ]);
    expect(report.outcomes.find((o) => o.phase === 'metallb')?.detail).toBe(
      'MetalLB v0.16.1, L2 pool 192.168.56.240-192.168.56.250',
    );
    const metallb = ssh.calls.filter((c) => c.env?.['LAB_METALLB_POOL']);
    expect(metallb.map((c) => [c.host, c.sudo, c.env])).toEqual([
      [
        'master-node',
        true,
        { LAB_METALLB_VERSION: 'v0.16.1', LAB_METALLB_POOL: '192.168.56.240-192.168.56.250' },
      ],
    ]);
    const calls = await vagrantCalls(lab);
    expect(calls.map((c) => c.args.join(' '))).toEqual([
      '--version',
      'status --machine-readable',
      'up --provider virtualbox --machine-readable',
      // after the smoke check: every VM snapshotted for lab:reset, then checked
      'snapshot list --machine-readable',
      'snapshot save --force labkit-ready --machine-readable',
      'snapshot list --machine-readable',
    ]);
    expect(report.outcomes.at(-1)?.detail).toBe(
      'labkit-ready saved on 3 VMs: npm run lab:reset goes back to it',
    );
    expect(calls.every((c) => c.LAB_CONFIG === lab.configPath)).toBe(true);
    // One provisioning pass for a full run, every phase (an exported LAB_PROVISION_UNTIL is overridden).
    expect(calls.find((c) => c.args[0] === 'up')?.LAB_PROVISION_UNTIL).toBe('');
    // Workers join with a token created on demand, one per run, sent on stdin: never in env or argv.
    const tokenCalls = ssh.calls.filter((c) => c.command.startsWith('kubeadm token create'));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]).toMatchObject({ host: 'master-node', sudo: true });
    const joins = ssh.calls.filter((c) => c.command.startsWith('<script') && c.env?.['LAB_JOIN_ENDPOINT']);
    const token = 'abcdef.0000000000000001'; // the fake cluster's first token
    for (const j of joins) {
      expect(j.stdin).toBe(`${token}\n`);
      expect(Object.keys(j.env ?? {})).not.toContain('LAB_JOIN_TOKEN');
      expect(JSON.stringify(j.env)).not.toContain(token);
      expect(j.command).not.toContain(token);
      expect(j.remoteLine).not.toContain(token);
      expect(j.remoteLine).toContain(" sudo -n -- env 'LAB_NODE_NAME=");
    }
    expect(
      joins.map((j) => [
        j.host,
        j.env?.['LAB_NODE_NAME'],
        j.env?.['LAB_NODE_IP'],
        j.env?.['LAB_JOIN_ENDPOINT'],
      ]),
    ).toEqual([
      ['worker-node01', 'worker-node01', '192.168.56.11', '192.168.56.10:6443'],
      ['worker-node02', 'worker-node02', '192.168.56.12', '192.168.56.10:6443'],
    ]);
    expect(ssh.calls.filter((c) => c.command.startsWith('kubectl label node')).map((c) => c.command)).toEqual(
      [
        'kubectl label node worker-node01 node-role.kubernetes.io/worker= --overwrite',
        'kubectl label node worker-node02 node-role.kubernetes.io/worker= --overwrite',
      ],
    );
    const kubeconfig = join(lab.dir, '.lab/kubeconfig');
    expect(await readFile(kubeconfig, 'utf8')).toContain('server: https://192.168.56.10:6443');
    expect(ssh.closed).toBe(true);
    const summary = formatSummary(report);
    expect(summary).toMatch(/^lab:up done in /);
    for (const phase of ['preflight', 'vms', 'join', 'ready', 'kubeconfig', 'smoke'])
      expect(summary).toMatch(new RegExp(`^  ${phase} +done `, 'm'));
  });

  test('a second run on a healthy lab only verifies: no vagrant up, no new token, kubeconfig unchanged', async () => {
    const ssh = fakeCluster(lab);
    await runLabUp(context(lab, ssh), { renderer: 'silent' });
    const before = (await vagrantCalls(lab)).length;
    const again = fakeCluster(lab, {
      joined: ['worker-node01', 'worker-node02'],
      metallbPool: '192.168.56.240-192.168.56.250',
    });
    const report = await runLabUp(context(lab, again), { renderer: 'silent' });
    expect(report.error).toBeUndefined();
    expect(report.outcomes.map((o) => [o.phase, o.status])).toEqual([
      ['preflight', 'done'],
      ['base', 'skipped'],
      ['vms', 'skipped'],
      ['join', 'skipped'],
      ['ready', 'done'],
      ['metallb', 'skipped'],
      ['kubeconfig', 'done'],
      ['smoke', 'done'],
      ['snapshot', 'skipped'],
    ]);
    expect(report.outcomes.find((o) => o.phase === 'kubeconfig')?.detail).toMatch(/^unchanged/);
    // Nothing was rebuilt: the snapshot of the first run stays what lab:reset restores.
    expect(report.outcomes.at(-1)?.detail).toMatch(/^skipped: labkit-ready exists \(taken /);
    const calls = (await vagrantCalls(lab)).slice(before).map((c) => c.args[0]);
    expect(calls).toEqual(['--version', 'status', 'snapshot']);
    expect(again.calls.some((c) => c.command.startsWith('kubeadm token create'))).toBe(false);
    // The only script of a re-run is the idempotent MetalLB install (no join).
    expect(
      again.calls.filter((c) => c.command.startsWith('<script')).map((c) => c.env?.['LAB_METALLB_POOL']),
    ).toEqual(['192.168.56.240-192.168.56.250']);
  });

  test('a VM that fails to provision is named, with the log to read', async () => {
    const ssh = fakeCluster(lab);
    const report = await runLabUp(context(lab, ssh, hostProbe(), { STUB_VAGRANT_FAIL: 'worker-node02' }), {
      renderer: 'silent',
    });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'vms', status: 'failed' });
    const message = report.error?.message ?? '';
    // The node, where its provisioning stopped (provisioner and the script's step), the error, the log.
    expect(message).toBe(
      [
        'vagrant up failed on worker-node02 (exit 1): worker-node02: E: Unable to locate package kubelet',
        'worker-node02 stopped in provisioner common, step packages.',
        `Full log: ${join('.lab', 'logs', 'vagrant-up.log')}`,
        'Fix the cause above, then run `npm run lab:up` again (it resumes; `vagrant destroy -f worker-node02` first if that VM is broken).',
      ].join('\n'),
    );
    const log = await readFile(join(lab.dir, '.lab/logs/vagrant-up.log'), 'utf8');
    expect(log).toContain('[worker-node02] worker-node02: E: Unable to locate package kubelet');
    expect(log).toContain("[master-node] ==> master-node: Importing base box 'bento/ubuntu-22.04'...");
    expect(ssh.calls).toEqual([]);
  });

  test('in Korean: the failed VM, where it stopped, the log and what to do; commands and names as they are', async () => {
    const ssh = fakeCluster(lab);
    setLanguage('ko');
    try {
      const report = await runLabUp(context(lab, ssh, hostProbe(), { STUB_VAGRANT_FAIL: 'worker-node02' }), {
        renderer: 'silent',
      });
      expect(report.error?.message).toBe(
        [
          'worker-node02에서 vagrant up 실패 (exit 1): worker-node02: E: Unable to locate package kubelet',
          'worker-node02이(가) 프로비저너 common의 단계 packages에서 멈췄습니다.',
          `전체 로그: ${join('.lab', 'logs', 'vagrant-up.log')}`,
          '위 원인을 해결한 뒤 `npm run lab:up`을 다시 실행하세요 (이어서 진행합니다. 그 VM이 망가졌다면 먼저 `vagrant destroy -f worker-node02`를 실행하세요).',
        ].join('\n'),
      );
    } finally {
      setLanguage('en');
    }
  });

  test('in Korean: broken pod DNS fails the smoke check with the fix', async () => {
    setLanguage('ko');
    try {
      const report = await runLabUp(context(lab, fakeCluster(lab, { dnsBroken: true })), {
        renderer: 'silent',
      });
      expect(report.error?.message).toContain(
        '파드에서 kubernetes.default.svc.cluster.local의 이름 풀이에 실패했습니다 (exit 1)',
      );
      expect(report.error?.message).toContain(
        '해결: CoreDNS(`kubectl -n kube-system logs deploy/coredns`)를 확인하고',
      );
    } finally {
      setLanguage('en');
    }
  });

  test('after a failed provisioning the next lab:up provisions again: same failure named, then resumes', async () => {
    const failing = () => context(lab, fakeCluster(lab), hostProbe(), { STUB_VAGRANT_FAIL: 'worker-node02' });
    await runLabUp(failing(), { renderer: 'silent' });
    // Vagrant counts the failed VM as provisioned and it keeps running: all three run now.
    expect(await readFile(join(lab.dir, '.lab/provisioned-until'), 'utf8')).toBe('incomplete\n');
    const first = (await vagrantCalls(lab)).length;

    const again = await runLabUp(failing(), { renderer: 'silent' });
    expect(again.outcomes.at(-1)).toMatchObject({ phase: 'vms', status: 'failed' });
    expect(again.error?.message.split('\n').slice(0, 2)).toEqual([
      'vagrant provision failed on worker-node02 (exit 1): worker-node02: E: Unable to locate package kubelet',
      'worker-node02 stopped in provisioner common, step packages.',
    ]);
    expect((await vagrantCalls(lab)).slice(first).map((c) => c.args.join(' '))).toEqual([
      '--version',
      'status --machine-readable',
      'provision --machine-readable',
      'status --machine-readable', // after the failure: which VMs are not running
    ]);

    // The cause is gone: provisioning runs once more, then the run goes on to join and the checks.
    const ssh = fakeCluster(lab);
    const fixed = await runLabUp(context(lab, ssh), { renderer: 'silent' });
    expect(fixed.error).toBeUndefined();
    expect(fixed.outcomes.find((o) => o.phase === 'vms')).toMatchObject({
      status: 'done',
      detail: '3 VMs provisioned again: the last provisioning did not finish',
    });
    expect(fixed.outcomes.find((o) => o.phase === 'join')?.status).toBe('done');
    expect(await readFile(join(lab.dir, '.lab/provisioned-until'), 'utf8')).toBe('all\n');
  });

  test('halted VMs whose provisioning failed are provisioned on the next lab:up (up --provision)', async () => {
    await runLabUp(context(lab, fakeCluster(lab), hostProbe(), { STUB_VAGRANT_FAIL: 'worker-node02' }), {
      renderer: 'silent',
    });
    // The student shut the VMs down (vagrant halt, a laptop reboot) before trying again.
    const statePath = join(lab.stubDir, 'state.json');
    const state = JSON.parse(await readFile(statePath, 'utf8')) as { machines: Record<string, string> };
    for (const name of Object.keys(state.machines)) state.machines[name] = 'poweroff';
    await writeFile(statePath, JSON.stringify(state));
    const first = (await vagrantCalls(lab)).length;
    const report = await runLabUp(context(lab, fakeCluster(lab)), { renderer: 'silent' });
    expect(report.error).toBeUndefined();
    expect((await vagrantCalls(lab)).slice(first).map((c) => c.args.join(' '))).toContain(
      'up --provision --provider virtualbox --machine-readable',
    );
    const log = await readFile(join(lab.dir, '.lab/logs/vagrant-up.log'), 'utf8');
    expect(log.slice(log.lastIndexOf('\n--- '))).toContain(
      '[worker-node02] ==> worker-node02: [labkit] common: done',
    );
  });

  const preflightCases: {
    name: string;
    host?: Parameters<typeof hostProbe>[0];
    config?: [string, string][];
    vagrantBin?: string;
    expected: string[];
  }[] = [
    {
      name: 'vagrant missing',
      vagrantBin: '/nonexistent/vagrant',
      expected: [
        'FAIL vagrant: Vagrant is not installed (`/nonexistent/vagrant --version` not found on PATH)',
        'fix: Install Vagrant (2.4.9 or newer works with every VirtualBox labkit supports): https://developer.hashicorp.com/vagrant/install, then open a new terminal.',
      ],
    },
    {
      name: 'VirtualBox missing',
      host: { missing: ['VBoxManage'] },
      expected: [
        'FAIL provider: VirtualBox is not installed (VBoxManage not found on PATH)',
        // and what can work on this Linux host instead: its libvirt, or the simulated lab
        'fix: Install VirtualBox 7.0-7.2 from https://www.virtualbox.org/wiki/Linux_Downloads. This machine has libvirt and vagrant-libvirt: set vagrant.provider: libvirt in',
        'To try labkit without any VM: `sudo npm run lab:up -- --provider simulated` (a simulated cluster; see README).',
      ],
    },
    {
      name: 'not enough host RAM',
      host: { totalMemoryMb: 6_000 },
      expected: [
        'FAIL memory: VMs need 5120 MB; host has 6000 MB (2048 MB kept for the host)',
        'fix: Lower nodes[].memoryMb in',
      ],
    },
    {
      name: 'a VM with more vCPUs than the host',
      host: { cpuCount: 1 },
      expected: [
        'FAIL cpus: VMs use 4 vCPUs (largest 2); host has 1',
        'fix: A VM cannot have more vCPUs than the host has CPUs: lower nodes[].cpus in',
      ],
    },
    {
      name: 'a node network VirtualBox will refuse (no networks.conf)',
      config: [
        ['nodeCidr: 192.168.56.0/24', 'nodeCidr: 10.0.0.0/24'],
        ['ip: 192.168.56.10', 'ip: 10.0.0.10'],
        ['ip: 192.168.56.11', 'ip: 10.0.0.11'],
        ['ip: 192.168.56.12', 'ip: 10.0.0.12'],
        ['pool: 192.168.56.240-192.168.56.250', 'pool: 10.0.0.240-10.0.0.250'],
      ],
      expected: [
        "FAIL host-only-network: VirtualBox will refuse the host-only network 10.0.0.0/24: not within 192.168.56.0/21 (VirtualBox's default 192.168.56.0/21 (no /etc/vbox/networks.conf))",
        'fix: Use network.nodeCidr 192.168.56.0/24 (and node IPs 192.168.56.x) in',
        "or allow the range: `sudo mkdir -p /etc/vbox && echo '* 10.0.0.0/24' | sudo tee -a /etc/vbox/networks.conf`",
      ],
    },
    {
      name: 'a node network outside the ranges networks.conf allows',
      host: { files: { '/etc/vbox/networks.conf': '* 10.10.0.0/16\n' } },
      expected: [
        'FAIL host-only-network: VirtualBox will refuse the host-only network 192.168.56.0/24: not within 10.10.0.0/16 (/etc/vbox/networks.conf)',
      ],
    },
    {
      name: 'libvirt without the vagrant-libvirt plugin or virsh',
      config: [['provider: virtualbox', 'provider: libvirt']],
      host: { missing: ['virsh'] },
      expected: [
        'FAIL libvirt: libvirt is not installed or not running (`virsh --version` failed)',
        'fix: Install libvirt (`sudo apt-get install libvirt-daemon-system qemu-system-x86`)',
      ],
    },
  ];

  test.each(preflightCases)(
    'preflight stops before booting anything: $name',
    async ({ host, config, vagrantBin, expected }) => {
      const text = (config ?? []).reduce((t, [from, to]) => {
        expect(t).toContain(from);
        return t.replace(from, to);
      }, DEFAULT_CONFIG);
      lab = await makeLab(text);
      const ctx = context(lab, fakeCluster(lab), hostProbe(host));
      const report = await runLabUp(
        vagrantBin ? { ...ctx, vagrant: { ...ctx.vagrant, bin: vagrantBin } } : ctx,
        { renderer: 'silent' },
      );
      expect(report.outcomes).toEqual([expect.objectContaining({ phase: 'preflight', status: 'failed' })]);
      for (const line of expected) expect(report.error?.message).toContain(line);
      expect((await vagrantCalls(lab)).some((c) => c.args[0] === 'up')).toBe(false);
    },
  );

  test('networks.conf with host bits set still allows the lab range', async () => {
    const ctx = context(
      lab,
      fakeCluster(lab),
      hostProbe({ files: { '/etc/vbox/networks.conf': '# labs\n* 192.168.56.1/21 10.0.0.0/8\n' } }),
    );
    const report = await runLabUp(ctx, { renderer: 'silent', until: 'preflight' });
    expect(report.error).toBeUndefined();
  });

  test('nodes that report the NAT address fail the smoke check with the cause', async () => {
    const report = await runLabUp(context(lab, fakeCluster(lab, { forceInternalIp: '10.0.2.15' })), {
      renderer: 'silent',
    });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'smoke', status: 'failed' });
    expect(report.error?.message).toContain(
      'master-node: InternalIP is the NAT address 10.0.2.15; kubelet --node-ip was not applied',
    );
    expect(report.error?.message).toContain(
      'worker-node02: InternalIP 10.0.2.15 is the same as worker-node01',
    );
  });

  test('broken pod DNS fails the smoke check', async () => {
    const report = await runLabUp(context(lab, fakeCluster(lab, { dnsBroken: true })), {
      renderer: 'silent',
    });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'smoke', status: 'failed' });
    expect(report.error?.message).toContain(
      'a pod could not resolve kubernetes.default.svc.cluster.local (exit 1)',
    );
    expect(report.error?.message).toContain('no servers could be reached');
  });

  test('a worker that fails to join is named and the token is never shown', async () => {
    const ssh = fakeCluster(lab, { joinFailsOn: 'worker-node01' });
    const report = await runLabUp(context(lab, ssh), { renderer: 'silent' });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'join', status: 'failed' });
    expect(report.error?.message).toContain('worker-node01: joining the cluster failed (exit 1)');
    expect(report.error?.message).not.toMatch(/abcdef\.\d{16}/);
  });

  test('MetalLB that does not come up fails its phase with the script’s reason and the way out', async () => {
    const ssh = fakeCluster(lab, { metallbFails: true });
    const report = await runLabUp(context(lab, ssh), { renderer: 'silent' });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'metallb', status: 'failed' });
    expect(report.error?.message).toBe(
      [
        'master-node: installing MetalLB v0.16.1 failed (exit 1):',
        "[labkit] error: MetalLB's controller did not become available within 300s: see kubectl -n metallb-system get pods and kubectl -n metallb-system describe deployment controller",
        '[labkit] metallb: waiting up to 300s for the controller and the speakers',
        'Fix: see the message above; then run `npm run lab:up` again (the install is idempotent). To go on without LoadBalancer addresses, set metallb.enabled: false in lab.config.yaml.',
      ].join('\n'),
    );
  });

  test('metallb.enabled: false skips MetalLB; a pool change on a re-run is applied and re-snapshots', async () => {
    lab = await makeLab(
      DEFAULT_CONFIG.replace('  enabled: true\n  version: v0.16.1', '  enabled: false\n  version: v0.16.1'),
    );
    const off = await runLabUp(context(lab, fakeCluster(lab)), { renderer: 'silent' });
    expect(off.outcomes.find((o) => o.phase === 'metallb')).toMatchObject({
      status: 'skipped',
      detail: 'skipped: metallb is off in lab.config.yaml (LoadBalancer Services stay <pending>)',
    });

    lab = await makeLab();
    await runLabUp(context(lab, fakeCluster(lab)), { renderer: 'silent' });
    const moved = fakeCluster(lab, {
      joined: ['worker-node01', 'worker-node02'],
      metallbPool: '192.168.56.200-192.168.56.210',
    });
    const report = await runLabUp(context(lab, moved), { renderer: 'silent' });
    expect(report.outcomes.find((o) => o.phase === 'metallb')).toMatchObject({ status: 'done' });
    expect(moved.metallbPool).toBe('192.168.56.240-192.168.56.250');
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'snapshot', status: 'done' });
  });

  test('--until stops after the named phase', async () => {
    const ssh = fakeCluster(lab);
    const report = await runLabUp(context(lab, ssh), { renderer: 'silent', until: 'vms' });
    expect(report.outcomes.map((o) => o.phase)).toEqual(['preflight', 'base', 'vms']);
    expect(ssh.calls).toEqual([]);
  });
});

// Windows has no POSIX permission bits (a stat there reports 0666 or 0444 whatever was asked).
describeWithTools(['posix-permissions'], 'lab:up file modes', () => {
  test('the kubeconfig (cluster-admin credentials) is written owner-only, 0600', async () => {
    const lab = await makeLab();
    const report = await runLabUp(context(lab, fakeCluster(lab)), { renderer: 'silent' });
    expect(report.error).toBeUndefined();
    expect((await stat(join(lab.dir, '.lab/kubeconfig'))).mode & 0o777).toBe(0o600);
  });
});
