// lab:up's `base` phase and the kubeadm-minimum preflight rule, against the stub vagrant
// (test/helpers/bin/vagrant): what is run, with which LAB_PROVISION_UNTIL, and what a user reads.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { HostProbe } from '../../../src/preflight/host.ts';
import type { UpContext } from '../../../src/up/context.ts';
import { formatSummary, runLabUp } from '../../../src/up/run.ts';
import { stubLabWorkspace } from '../../helpers/stub-lab-workspace.ts';
import { FakeLabExecutor } from '../../helpers/fake-lab-executor.ts';
import { fakeHost } from '../../helpers/host-probe.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A lab:up here runs the stub vagrant (a node process) a dozen times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });
const STUB_VAGRANT = join(ROOT, 'test/helpers/bin/vagrant');
const DEFAULT_CONFIG = await readFile(join(ROOT, 'lab.config.yaml'), 'utf8');
// The VM lane's lab: 1 CPU / 768 MB per node, below kubeadm's control-plane minimums.
const SMALL_CONFIG = await readFile(join(ROOT, 'test/vm/lab.config.vm.yaml'), 'utf8');

interface Lab {
  readonly dir: string;
  readonly stubDir: string;
  readonly ctx: (env?: Record<string, string>) => UpContext;
  readonly ssh: FakeLabExecutor;
}

// A Linux machine with VirtualBox 7.0 and libvirt (test/helpers/host-probe.ts).
const host: HostProbe = fakeHost({
  platform: 'linux',
  env: { PATH: '/usr/bin:/bin', HOME: '/home/student' },
  files: { '/usr/bin/VBoxManage': '' },
  commands: {
    '/usr/bin/VBoxManage --version': '7.0.20r163906\n',
    'virsh --version': '9.0.0\n',
    'uname -m': 'x86_64\n',
  },
});

async function makeLab(text: string): Promise<Lab> {
  const { dir, stubDir, config, configPath } = await stubLabWorkspace('labkit-base-', text);
  const master = config.nodes.find((n) => n.role === 'control-plane');
  const ssh = new FakeLabExecutor({
    master: master?.name ?? '',
    masterIp: master?.ip ?? '',
    workers: config.nodes.filter((n) => n.role === 'worker').map((n) => ({ name: n.name, ip: n.ip })),
  });
  const ctx = (env: Record<string, string> = {}): UpContext => ({
    config,
    configPath,
    projectDir: dir,
    stateDir: join(dir, '.lab'),
    vagrant: {
      cwd: dir,
      configPath,
      bin: STUB_VAGRANT,
      // LAB_PROVISION_UNTIL=base as if exported in the user's shell: lab:up decides, not the shell.
      env: { STUB_VAGRANT_DIR: stubDir, LAB_PROVISION_UNTIL: 'base', ...env },
    },
    host,
    connect: async () => ssh,
    waits: { readyTimeoutMs: 2_000, pollIntervalMs: 10 },
  });
  return { dir, stubDir, ctx, ssh };
}

async function calls(lab: Lab): Promise<string[]> {
  const text = await readFile(join(lab.stubDir, 'calls.log'), 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { args: string[]; LAB_PROVISION_UNTIL: string | null })
    .map((c) => `${c.args.join(' ')} [until=${c.LAB_PROVISION_UNTIL ?? 'unset'}]`);
}

describe('lab:up --until base', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await makeLab(DEFAULT_CONFIG.replace('provider: virtualbox', 'provider: libvirt'));
  });

  test('runs vagrant up --provision with LAB_PROVISION_UNTIL=base and stops', async () => {
    const report = await runLabUp(lab.ctx(), { renderer: 'silent', until: 'base' });
    expect(report.error).toBeUndefined();
    expect(report.outcomes.map((o) => [o.phase, o.status, o.detail])).toEqual([
      [
        'preflight',
        'done',
        'libvirt (vagrant.provider: libvirt), box bento/ubuntu-22.04 202510.26.0, amd64 build; 7 checks passed',
      ],
      ['base', 'done', '3 VMs up, base OS provisioned (LAB_PROVISION_UNTIL=base)'],
    ]);
    expect(await calls(lab)).toEqual([
      '--version [until=base]',
      'plugin list [until=base]',
      'up --provision --provider libvirt --machine-readable [until=base]',
    ]);
    expect(lab.ssh.calls).toEqual([]);
    const log = await readFile(join(lab.dir, '.lab/logs/vagrant-base.log'), 'utf8');
    expect(log).toContain(
      '[worker-node02] worker-node02: [labkit] common: worker-node02: base phase done; stopping here',
    );
    expect(formatSummary(report)).toMatch(/^ {2}base +done +\d+ ms {2}3 VMs up/m);
  });

  test('a second run on running VMs provisions the base phase again (vagrant up --provision)', async () => {
    await runLabUp(lab.ctx(), { renderer: 'silent', until: 'base' });
    const first = (await calls(lab)).length;
    const report = await runLabUp(lab.ctx(), { renderer: 'silent', until: 'base' });
    expect(report.error).toBeUndefined();
    expect((await calls(lab)).slice(first)).toEqual([
      '--version [until=base]',
      'plugin list [until=base]',
      'up --provision --provider libvirt --machine-readable [until=base]',
    ]);
    const log = await readFile(join(lab.dir, '.lab/logs/vagrant-base.log'), 'utf8');
    expect(log.match(/master-node: base phase done/g)).toHaveLength(2);
  });

  test('a full lab:up afterwards provisions the running VMs in full once, then skips them', async () => {
    await runLabUp(lab.ctx(), { renderer: 'silent', until: 'base' });
    const first = (await calls(lab)).length;
    const report = await runLabUp(lab.ctx(), { renderer: 'silent' });
    expect(report.error).toBeUndefined();
    expect(report.outcomes.slice(0, 3).map((o) => [o.phase, o.status, o.detail])).toEqual([
      [
        'preflight',
        'done',
        'libvirt (vagrant.provider: libvirt), box bento/ubuntu-22.04 202510.26.0, amd64 build; 7 checks passed',
      ],
      ['base', 'skipped', 'skipped: the vms phase runs it as the first part of provisioning'],
      ['vms', 'done', '3 VMs provisioned again: lab:up --until base provisioned only the base phase'],
    ]);
    expect((await calls(lab)).slice(first)).toEqual([
      '--version [until=base]',
      'plugin list [until=base]',
      'status --machine-readable [until=base]',
      'provision --machine-readable [until=]',
      // the snapshot phase, after the smoke check: none yet, so one is saved and checked
      'snapshot list --machine-readable [until=base]',
      'snapshot save --force labkit-ready --machine-readable [until=base]',
      'snapshot list --machine-readable [until=base]',
    ]);
    expect(await readFile(join(lab.dir, '.lab/provisioned-until'), 'utf8')).toBe('all\n');
    const second = (await calls(lab)).length;
    const again = await runLabUp(lab.ctx(), { renderer: 'silent' });
    expect(again.outcomes.find((o) => o.phase === 'vms')?.status).toBe('skipped');
    expect((await calls(lab)).slice(second).some((c) => /^(up|provision) /.test(c))).toBe(false);
  });

  test('a full lab:up pays one provisioning pass: no separate base pass', async () => {
    const report = await runLabUp(lab.ctx(), { renderer: 'silent' });
    expect(report.error).toBeUndefined();
    expect((await calls(lab)).filter((c) => /^(up|provision) /.test(c))).toEqual([
      'up --provider libvirt --machine-readable [until=]',
    ]);
  });

  test('an unreachable package repository stops a full run naming the node, the step and the log', async () => {
    await runLabUp(lab.ctx(), { renderer: 'silent', until: 'base' });
    const report = await runLabUp(lab.ctx({ STUB_VAGRANT_FAIL: 'master-node' }), { renderer: 'silent' });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'vms', status: 'failed' });
    expect(report.error?.message).toBe(
      [
        'vagrant provision failed on master-node (exit 1): master-node: E: Unable to locate package kubelet',
        'master-node stopped in provisioner common, step packages.',
        `Full log: ${join('.lab', 'logs', 'vagrant-up.log')}`,
        'Fix the cause above, then run `npm run lab:up` again (it resumes; `vagrant destroy -f master-node` first if that VM is broken).',
      ].join('\n'),
    );
    // Not finished: the next full run provisions again.
    expect(await readFile(join(lab.dir, '.lab/provisioned-until'), 'utf8')).toBe('incomplete\n');
  });

  test('a failing base pass is reported as the base phase, with its own log', async () => {
    const report = await runLabUp(lab.ctx({ STUB_VAGRANT_FAIL: 'worker-node02' }), {
      renderer: 'silent',
      until: 'base',
    });
    expect(report.outcomes.at(-1)).toMatchObject({ phase: 'base', status: 'failed' });
    expect(report.error?.message).toBe(
      [
        'vagrant up failed on worker-node02 (exit 1): worker-node02: [labkit] error: no network interface carries LAB_NODE_IP=192.168.56.12',
        'worker-node02 stopped in provisioner common, step hosts.',
        `Full log: ${join('.lab', 'logs', 'vagrant-base.log')}`,
        'Fix the cause above, then run `npm run lab:up -- --until base` again (it resumes; `vagrant destroy -f worker-node02` first if that VM is broken).',
      ].join('\n'),
    );
  });
});

describe("kubeadm's control-plane minimums are a preflight rule of runs that reach kubeadm", () => {
  test('a full lab:up with a 1 CPU / 768 MB control plane stops in preflight', async () => {
    const lab = await makeLab(SMALL_CONFIG);
    const report = await runLabUp(lab.ctx(), { renderer: 'silent' });
    expect(report.outcomes.map((o) => [o.phase, o.status])).toEqual([['preflight', 'failed']]);
    const configPath = join(lab.dir, 'lab.config.yaml');
    expect(report.error?.message).toBe(
      [
        'preflight found 1 problem: control-plane-size',
        "FAIL control-plane-size: master-node has 1 CPU and 768 MB; kubeadm's preflight needs at least 2 CPUs and 1700 MB on the control plane",
        `     fix: Set nodes[0].cpus: 2 and nodes[0].memoryMb: 1700 (or more) in ${configPath}, or stop before kubeadm with \`npm run lab:up -- --until base\`.`,
      ].join('\n'),
    );
    expect((await calls(lab)).some((c) => c.startsWith('up '))).toBe(false);
  });

  test.each([['preflight'], ['base']] as const)('--until %s only warns', async (until) => {
    const lab = await makeLab(SMALL_CONFIG);
    const report = await runLabUp(lab.ctx(), { renderer: 'silent', until });
    expect(report.error).toBeUndefined();
    // The warning itself is shown once, under the phase's line (its report); the summary names it.
    expect(report.outcomes[0]?.detail).toBe(
      'libvirt (vagrant.provider: libvirt), box labkit/debian12-tcg 0, amd64 build; 6 checks passed, 1 warning (control-plane-size, with its fix in the preflight output)',
    );
  });

  test('--until vms fails: the vms phase runs kubeadm init', async () => {
    const lab = await makeLab(SMALL_CONFIG);
    const report = await runLabUp(lab.ctx(), { renderer: 'silent', until: 'vms' });
    expect(report.outcomes.map((o) => [o.phase, o.status])).toEqual([['preflight', 'failed']]);
  });

  test('only the short resource is named', async () => {
    const lab = await makeLab(SMALL_CONFIG.replace('cpus: 1', 'cpus: 2'));
    const report = await runLabUp(lab.ctx(), { renderer: 'silent' });
    expect(report.error?.message).toContain(
      "FAIL control-plane-size: master-node has 2 CPUs and 768 MB; kubeadm's preflight needs",
    );
    expect(report.error?.message).toContain('fix: Set nodes[0].memoryMb: 1700 (or more) in');
  });
});
