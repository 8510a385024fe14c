// The snapshot lab:up saves and `npm run lab:reset`, against the stub vagrant (test/helpers/bin/vagrant:
// snapshot save/restore/list with Vagrant's output shapes) and the fake cluster behind the SSH interface
// (clocks that are behind after a restore, node leases).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import type { LabConfig } from '../../../src/config/schema.ts';
import { readSnapshotRecord, writeSnapshotRecord } from '../../../src/snapshot/record.ts';
import { parseSnapshotList } from '../../../src/snapshot/vagrant-snapshots.ts';
import { PhaseError, type UpContext } from '../../../src/up/context.ts';
import { resetLab } from '../../../src/up/reset.ts';
import { runLabUp } from '../../../src/up/run.ts';
import { UserError } from '../../../src/util/exit-codes.ts';
import { stubLabWorkspace } from '../../helpers/stub-lab-workspace.ts';
import { FakeLabExecutor, type FakeLabOptions } from '../../helpers/fake-lab-executor.ts';
import { fakeHost } from '../../helpers/host-probe.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Each test runs the stub vagrant (a node process) several times: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });
const STUB_VAGRANT = join(ROOT, 'test/helpers/bin/vagrant');
const DEFAULT_CONFIG = await readFile(join(ROOT, 'lab.config.yaml'), 'utf8');
const NODES = ['master-node', 'worker-node01', 'worker-node02'];

interface Lab {
  readonly dir: string;
  readonly stubDir: string;
  readonly config: LabConfig;
  readonly ctx: (ssh: FakeLabExecutor, env?: Record<string, string>) => UpContext;
  readonly cluster: (extra?: Partial<FakeLabOptions>) => FakeLabExecutor;
  readonly calls: () => Promise<string[]>;
}

async function makeLab(configText = DEFAULT_CONFIG): Promise<Lab> {
  const { dir, stubDir, config, configPath } = await stubLabWorkspace('labkit-reset-', configText);
  const host = fakeHost({
    env: { PATH: '/usr/bin', HOME: dir },
    files: { '/usr/bin/VBoxManage': '' },
    commands: { '/usr/bin/VBoxManage --version': '7.0.20r163906\n', 'uname -m': 'x86_64\n' },
  });
  return {
    dir,
    stubDir,
    config,
    ctx: (ssh, env = {}) => ({
      config,
      configPath,
      projectDir: dir,
      stateDir: join(dir, '.lab'),
      vagrant: { cwd: dir, configPath, bin: STUB_VAGRANT, env: { STUB_VAGRANT_DIR: stubDir, ...env } },
      host,
      connect: async () => ssh,
      waits: { readyTimeoutMs: 1_500, pollIntervalMs: 10 },
    }),
    cluster: (extra = {}) =>
      new FakeLabExecutor({
        master: 'master-node',
        masterIp: '192.168.56.10',
        workers: [
          { name: 'worker-node01', ip: '192.168.56.11' },
          { name: 'worker-node02', ip: '192.168.56.12' },
        ],
        ...extra,
      }),
    calls: async () =>
      (await readFile(join(stubDir, 'calls.log'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { args: string[] }).args.join(' ')),
  };
}

/** A lab as a successful lab:up leaves it: VMs running, snapshot saved and recorded. */
async function builtLab(configText?: string): Promise<Lab> {
  const lab = await makeLab(configText);
  const report = await runLabUp(lab.ctx(lab.cluster()), { renderer: 'silent' });
  expect(report.error).toBeUndefined();
  return lab;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a failure');
}

describe('the snapshot lab:up saves', () => {
  test('after the smoke check every VM is snapshotted and recorded as a Ready cluster', async () => {
    const lab = await builtLab();
    const record = await readSnapshotRecord(join(lab.dir, '.lab'));
    expect(record).toMatchObject({ name: 'labkit-ready', contents: 'cluster', nodes: NODES });
    const state = JSON.parse(await readFile(join(lab.stubDir, 'state.json'), 'utf8')) as {
      snapshots: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(state.snapshots)).toEqual(NODES);
  });

  test('snapshot.enabled: false skips it and says what that costs', async () => {
    const lab = await makeLab(
      DEFAULT_CONFIG.replace(
        '  enabled: true\n  name: labkit-ready',
        '  enabled: false\n  name: labkit-ready',
      ),
    );
    const report = await runLabUp(lab.ctx(lab.cluster()), { renderer: 'silent' });
    expect(report.outcomes.at(-1)).toMatchObject({
      phase: 'snapshot',
      status: 'skipped',
      detail: 'skipped: snapshot.enabled is false in lab.config.yaml (npm run lab:reset needs a snapshot)',
    });
    expect((await lab.calls()).some((c) => c.startsWith('snapshot'))).toBe(false);
  });

  test('a snapshot that cannot be saved does not fail lab:up (the cluster is ready) and leaves no record', async () => {
    const lab = await makeLab();
    const report = await runLabUp(lab.ctx(lab.cluster(), { STUB_VAGRANT_SNAPSHOT_FAIL: 'worker-node02' }), {
      renderer: 'silent',
    });
    expect(report.error).toBeUndefined();
    expect(report.outcomes.at(-1)?.detail).toBe(
      `NOT saved: vagrant snapshot save failed (exit 1): There was an error while executing \`VBoxManage\`: snapshot take labkit-ready on worker-node02: not enough free space. The lab is ready, but npm run lab:reset needs a snapshot: fix that, then run \`npx lab snapshot save\` (log: ${join('.lab', 'logs', 'vagrant-snapshot.log')})`,
    );
    expect(await readSnapshotRecord(join(lab.dir, '.lab'))).toBeUndefined();
  });

  test('`--until smoke` stops before the snapshot', async () => {
    const lab = await makeLab();
    const report = await runLabUp(lab.ctx(lab.cluster()), { renderer: 'silent', until: 'smoke' });
    expect(report.outcomes.map((o) => o.phase)).not.toContain('snapshot');
  });
});

describe('lab:reset', () => {
  test('restores every VM, sets the clocks from the host, waits for fresh leases, nodes, Calico and CoreDNS', async () => {
    const lab = await builtLab();
    const before = (await lab.calls()).length;
    // After the restore the VMs' clocks are where they were at the snapshot: two hours behind.
    const ssh = lab.cluster({ joined: ['worker-node01', 'worker-node02'], clockBehindSec: 7200 });
    const shown: string[] = [];
    const report = await resetLab(lab.ctx(ssh), (line) => shown.push(line));
    expect((await lab.calls()).slice(before)).toEqual([
      'status --machine-readable',
      'snapshot list --machine-readable',
      // --no-provision: the VMs come back exactly as saved
      'snapshot restore --no-provision labkit-ready --machine-readable',
    ]);
    for (const node of NODES) {
      const onNode = ssh.calls.filter((c) => c.host === node && c.command.startsWith('date'));
      expect(onNode.map((c) => [c.command.replace(/@\d+$/, '@<now>'), c.sudo])).toEqual([
        ['date +%s', false],
        ['date -u -s @<now>', true],
        ['date +%s', false],
      ]);
    }
    const kube = ssh.calls.filter((c) => c.command.startsWith('kubectl get')).map((c) => c.command);
    expect(kube[0]).toBe('kubectl get leases -n kube-node-lease -o json');
    expect(kube.slice(1)).toEqual([
      'kubectl get nodes -o json',
      'kubectl get pods -n kube-system -l k8s-app=calico-node -o json',
      'kubectl get pods -n kube-system -l k8s-app=kube-dns -o json',
    ]);
    expect(report.lines[0]).toMatch(
      /^restoring snapshot labkit-ready \(taken \d{4}-\d\d-\d\dT[\d:.]+Z\) on master-node, worker-node01, worker-node02$/,
    );
    expect(report.lines.slice(1).map((l) => l.replace(/\d+ s\b/, 'N s'))).toEqual([
      'vagrant snapshot restore: N s',
      'clocks set from this computer on 3 nodes (they were up to 2.0 h off)',
      '3 nodes Ready, calico-node 3/3, CoreDNS Ready (N s)',
    ]);
    expect(shown).toEqual(expect.arrayContaining([...report.lines]));
    expect(ssh.closed).toBe(true);
  });

  test('says when there is no snapshot, and what to do', async () => {
    const lab = await builtLab(
      DEFAULT_CONFIG.replace(
        '  enabled: true\n  name: labkit-ready',
        '  enabled: false\n  name: labkit-ready',
      ),
    );
    const error = await failure(resetLab(lab.ctx(lab.cluster()), () => undefined));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      'lab:reset: no snapshot "labkit-ready" of master-node, worker-node01, worker-node02 (snapshot.enabled is false in the config, so lab:up saves none). Run `npm run lab:up` (it saves one once its smoke check passed, with snapshot.enabled: true), or save the lab as it is now: `npx lab snapshot save`.',
    );
    expect((await lab.calls()).some((c) => c.startsWith('snapshot restore'))).toBe(false);
  });

  test('says when the VMs do not exist (a snapshot goes with its VM)', async () => {
    const lab = await makeLab();
    const error = await failure(resetLab(lab.ctx(lab.cluster()), () => undefined));
    expect(error.message).toBe(
      'lab:reset: master-node, worker-node01, worker-node02 do not exist (not created), so there is no snapshot to go back to (a snapshot goes with its VM). Run `npm run lab:up`: it builds the lab and saves a new snapshot.',
    );
  });

  test('refuses snapshots labkit did not record as complete (.lab removed, or an interrupted save)', async () => {
    const lab = await builtLab();
    await rm(join(lab.dir, '.lab', 'snapshot.json'));
    const error = await failure(resetLab(lab.ctx(lab.cluster()), () => undefined));
    expect(error.message).toMatch(
      /^lab:reset: the VMs have a snapshot "labkit-ready", but \.lab\/snapshot\.json does not say it is complete/,
    );
  });

  test('a base-OS snapshot (`lab snapshot save` after --until base) is restored without waiting for Kubernetes', async () => {
    const lab = await builtLab();
    await writeSnapshotRecord(join(lab.dir, '.lab'), {
      name: 'labkit-ready',
      takenAt: new Date().toISOString(),
      contents: 'base',
      nodes: NODES,
    });
    const ssh = lab.cluster({ joined: ['worker-node01', 'worker-node02'], clockBehindSec: 90 });
    const report = await resetLab(lab.ctx(ssh), () => undefined);
    expect(ssh.calls.some((c) => c.command.startsWith('kubectl'))).toBe(false);
    expect(report.lines.slice(2)).toEqual([
      'clocks set from this computer on 3 nodes (they were up to 90 s off)',
      'the snapshot holds the base OS only (no Kubernetes): nothing more to wait for',
    ]);
  });

  test('a kubelet that never renews its lease after the reset is named', async () => {
    const lab = await builtLab();
    const ssh = lab.cluster({
      joined: ['worker-node01', 'worker-node02'],
      clockBehindSec: 600,
      staleLeases: ['worker-node02'],
    });
    const error = await failure(resetLab(lab.ctx(ssh), () => undefined));
    expect(error).toBeInstanceOf(PhaseError);
    expect(error.message).toMatch(
      /^timed out after \d+ s waiting for every kubelet renewing its node lease \(master-node, worker-node01, worker-node02\); last seen: no lease renewal since the reset from worker-node02\nA kubelet that does not renew its lease is not running:/,
    );
  });

  test('a failing restore is named with the machine', async () => {
    const lab = await builtLab();
    const error = await failure(
      resetLab(lab.ctx(lab.cluster(), { STUB_VAGRANT_SNAPSHOT_FAIL: 'worker-node01' }), () => undefined),
    );
    expect(error.message).toBe(
      'vagrant snapshot restore failed (exit 1): There was an error while executing `VBoxManage`: snapshot restore labkit-ready on worker-node01',
    );
  });
});

describe("Vagrant's snapshot list output", () => {
  const fixture = (name: string) => readFile(join(ROOT, 'test/fixtures/hosts', name), 'utf8');

  test('created VMs: the bare detail lines are the names; "No snapshots" lists none', async () => {
    expect(Object.fromEntries(parseSnapshotList(await fixture('vagrant-snapshot-list-created.txt')))).toEqual(
      {
        'master-node': { state: 'created', snapshots: ['labkit-ready', 'before-step-3'] },
        'worker-node01': { state: 'created', snapshots: [] },
        'worker-node02': { state: 'created', snapshots: ['labkit-ready'] },
      },
    );
  });

  test('VMs not created (captured from Vagrant 2.3.4)', async () => {
    expect(
      Object.fromEntries(parseSnapshotList(await fixture('vagrant-snapshot-list-not-created.txt'))),
    ).toEqual({
      'master-node': { state: 'not_created' },
      'worker-node01': { state: 'not_created' },
    });
  });
});
