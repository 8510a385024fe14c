// LAB_PROVISION_UNTIL=base: the base-OS phase only, with no package step and nothing that needs a
// download, so it runs on a VM without internet access (the VM lane) and can be resumed later.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { COMMON_ENV, MASTER_ENV, Sandbox, WORKER_ENV, fmt, isReadOnly } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const BASE = { LAB_PROVISION_UNTIL: 'base' };
// Everything the package phase and the later scripts use. The base phase must not need any of them:
// the tests remove these stubs, so calling one fails with "command not found".
const NOT_IN_BASE = [
  'apt-get',
  'apt-cache',
  'apt-mark',
  'dpkg',
  'curl',
  'gpg',
  'kubeadm',
  'kubectl',
  'containerd',
  'chown',
];
const BASE_FILES = [
  '/etc/fstab',
  '/etc/modules-load.d/k8s.conf',
  '/etc/sysctl.d/k8s.conf',
  '/etc/hosts',
  '/etc/default/kubelet',
];

function withoutPackageTools(s: Sandbox): void {
  for (const name of NOT_IN_BASE) rmSync(join(s.bin, name));
}

function mtimes(s: Sandbox, files: string[]): Map<string, string | undefined> {
  const snap = s.snapshot();
  return new Map(files.map((f) => [f, snap.get(f.slice(1))]));
}

describeWithTools(['linux-userland'], 'common.sh with LAB_PROVISION_UNTIL=base', () => {
  it('does the base-OS phase and stops before any package repository or apt step', () => {
    sb = new Sandbox();
    withoutPackageTools(sb);
    const r = sb.run('common.sh', { ...COMMON_ENV, ...BASE });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    // base phase, for real: swap off, modules, sysctl, hosts, kubelet node IP
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([
      'swapoff -a',
      'modprobe overlay',
      'modprobe br_netfilter',
      'sysctl --system',
    ]);
    expect(sb.read('/etc/fstab')).toContain('# disabled by labkit (kubelet needs swap off): /swap.img');
    expect(sb.read('/etc/modules-load.d/k8s.conf')).toContain('\noverlay\nbr_netfilter\n');
    expect(sb.read('/etc/sysctl.d/k8s.conf')).toContain('net.ipv4.ip_forward = 1\n');
    expect(sb.read('/etc/hosts')).toContain(
      '192.168.56.10 master-node\n192.168.56.11 worker-node01\n192.168.56.12 worker-node02\n',
    );
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');

    // nothing of the package phase: no apt sources, keyring, containerd config; only read-only queries
    const commands = new Set(r.calls.map((c) => c.cmd));
    for (const cmd of NOT_IN_BASE) expect(commands.has(cmd)).toBe(false);
    const written = [...sb.snapshot().keys()].sort();
    expect(written.filter((f) => f.startsWith('etc/apt') || f.startsWith('etc/containerd'))).toEqual([]);
    expect(r.stdout).toContain(
      '[labkit] common: master-node: base phase done; stopping here (LAB_PROVISION_UNTIL=base, no package step)\n',
    );
    expect(r.stdout).not.toContain('[labkit] packages:');
  });

  it('a second base run changes nothing and runs no state-changing command', () => {
    sb = new Sandbox();
    withoutPackageTools(sb);
    expect(sb.run('common.sh', { ...COMMON_ENV, ...BASE }).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('common.sh', { ...COMMON_ENV, ...BASE });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(r.stdout).toContain('[labkit] swap: already off\n');
    expect(r.stdout).toContain('[labkit] sysctl: already applied\n');
    expect(r.stdout).toContain('[labkit] kubelet: node IP 192.168.56.10 (interface eth1) already set\n');
  });

  it('a later full run resumes with the package phase and leaves the base files as they are', () => {
    sb = new Sandbox();
    expect(sb.run('common.sh', { ...COMMON_ENV, ...BASE }).status).toBe(0);
    const base = mtimes(sb, BASE_FILES);
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(mtimes(sb, BASE_FILES)).toEqual(base);
    const changes = r.calls.filter((c) => !isReadOnly(c)).map(fmt);
    expect(changes.filter((c) => /^(swapoff|modprobe|sysctl)/.test(c))).toEqual([]);
    expect(changes).toContain('apt-mark hold kubelet kubeadm kubectl');
    expect(sb.read('/etc/containerd/config.toml')).toContain('SystemdCgroup = true');
  });

  it('rejects an unknown phase with exit 2 before changing anything', () => {
    sb = new Sandbox();
    const r = sb.run('common.sh', { ...COMMON_ENV, LAB_PROVISION_UNTIL: 'packages' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "[labkit] error: LAB_PROVISION_UNTIL must be 'base' or empty for every phase (got 'packages')\n",
    );
    expect(r.calls).toEqual([]);
  });
});

describeWithTools(['linux-userland'], 'per script, with LAB_PROVISION_UNTIL=base', () => {
  describe.each([
    {
      script: 'master.sh',
      env: MASTER_ENV,
      line: '[labkit] master: LAB_PROVISION_UNTIL=base: skipping kubeadm init and Calico\n',
    },
    {
      script: 'worker.sh',
      env: WORKER_ENV,
      line: '[labkit] worker: LAB_PROVISION_UNTIL=base: skipping kubeadm join\n',
    },
  ])('$script with LAB_PROVISION_UNTIL=base', ({ script, env, line }) => {
    it('exits 0 at once: no command, no file', () => {
      sb = new Sandbox();
      const before = sb.snapshot();
      const r = sb.run(script, { ...env, ...BASE });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(line);
      expect(r.calls).toEqual([]);
      expect(sb.snapshot()).toEqual(before);
    });

    it('rejects an unknown phase with exit 2', () => {
      sb = new Sandbox();
      const r = sb.run(script, { ...env, LAB_PROVISION_UNTIL: 'Base' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("LAB_PROVISION_UNTIL must be 'base' or empty for every phase (got 'Base')");
      expect(r.calls).toEqual([]);
    });
  });
});
