import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMON_ENV, MASTER_ENV, Sandbox, fixturesDir, fmt, isReadOnly } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

interface EnvVar {
  name: string;
  value?: string;
}

/** The calico-node container's env, read YAML-aware from the manifest master.sh applied. */
function appliedCalicoEnv(s: Sandbox): EnvVar[] {
  const docs = parseAllDocuments(s.read('/../state/calico-applied.yaml')).map(
    (d) => d.toJS() as Record<string, unknown>,
  );
  const ds = docs.find((d) => d?.kind === 'DaemonSet') as {
    spec: { template: { spec: { containers: { name: string; env: EnvVar[] }[] } } };
  };
  const c = ds.spec.template.spec.containers.find((x) => x.name === 'calico-node');
  if (!c) throw new Error('no calico-node container');
  return c.env;
}

function provisioned(): Sandbox {
  const s = new Sandbox();
  const r = s.run('common.sh', COMMON_ENV);
  if (r.status !== 0) throw new Error(r.stderr);
  return s;
}

describe('master.sh', () => {
  it('runs kubeadm init with exactly the lab flags', () => {
    sb = provisioned();
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const init = r.calls.filter((c) => c.cmd === 'kubeadm' && c.args[0] === 'init');
    expect(init.map((c) => c.args)).toEqual([
      [
        'init',
        '--apiserver-advertise-address=192.168.56.10',
        '--pod-network-cidr=172.16.0.0/16',
        '--service-cidr=172.17.0.0/16',
        '--node-name',
        'master-node',
        '--kubernetes-version',
        'v1.33.5',
        '--cri-socket',
        'unix:///run/containerd/containerd.sock',
      ],
    ]);
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
  });

  it('copies admin.conf to ~vagrant/.kube/config owned by vagrant', () => {
    sb = provisioned();
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(0);
    expect(sb.read('/home/vagrant/.kube/config')).toBe(sb.read('/etc/kubernetes/admin.conf'));
    expect(r.calls.map(fmt)).toContain(
      `chown vagrant:vagrant ${sb.path('/home/vagrant/.kube')} ${sb.path('/home/vagrant/.kube/config')}`,
    );
  });

  it('applies the pinned Calico manifest with pool CIDR, IPIP mode and CIDR autodetection set', () => {
    sb = provisioned();
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(0);
    const calls = r.calls.map(fmt);
    expect(calls).toContain(
      `curl -fsSL --retry 5 -o ${sb.path('/var/lib/labkit/calico-v3.30.3.yaml.part')} https://raw.githubusercontent.com/projectcalico/calico/v3.30.3/manifests/calico.yaml`,
    );
    expect(calls).toContain(
      `kubectl --kubeconfig ${sb.path('/etc/kubernetes/admin.conf')} apply --server-side --force-conflicts -f ${sb.path('/var/lib/labkit/calico-v3.30.3-labkit.yaml')}`,
    );
    const env = appliedCalicoEnv(sb);
    const byName = new Map(env.map((e) => [e.name, e]));
    expect(byName.get('CALICO_IPV4POOL_CIDR')?.value).toBe('172.16.0.0/16');
    expect(byName.get('CALICO_IPV4POOL_IPIP')?.value).toBe('Always');
    expect(byName.get('IP_AUTODETECTION_METHOD')?.value).toBe('cidr=192.168.56.0/24');
    // each exactly once, and the rest of the stock env untouched
    for (const n of ['CALICO_IPV4POOL_CIDR', 'CALICO_IPV4POOL_IPIP', 'IP_AUTODETECTION_METHOD']) {
      expect(env.filter((e) => e.name === n)).toHaveLength(1);
    }
    expect(byName.get('CALICO_IPV4POOL_VXLAN')?.value).toBe('Never');
    expect(env).toHaveLength(18);
    expect(r.stdout).toContain('[labkit] calico: calico-node env verified');
  });

  it.each(['CrossSubnet', 'Never'])('sets IPIP mode %s', (mode) => {
    sb = provisioned();
    const r = sb.run('master.sh', { ...MASTER_ENV, LAB_CALICO_IPIP_MODE: mode });
    expect(r.status).toBe(0);
    expect(appliedCalicoEnv(sb).find((e) => e.name === 'CALICO_IPV4POOL_IPIP')?.value).toBe(mode);
  });

  it('replaces CALICO_IPV4POOL_CIDR / IP_AUTODETECTION_METHOD when a manifest already defines them', () => {
    sb = provisioned();
    const manifest = readFixture().replace(
      '            # - name: CALICO_IPV4POOL_CIDR\n            #   value: "192.168.0.0/16"\n',
      '            - name: CALICO_IPV4POOL_CIDR\n              value: "192.168.0.0/16"\n            - name: IP_AUTODETECTION_METHOD\n              value: "first-found"\n',
    );
    sb.write('/var/lib/labkit/calico-v3.30.3.yaml', manifest);
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(0);
    const env = appliedCalicoEnv(sb);
    expect(env.filter((e) => e.name === 'CALICO_IPV4POOL_CIDR')).toEqual([
      { name: 'CALICO_IPV4POOL_CIDR', value: '172.16.0.0/16' },
    ]);
    expect(env.filter((e) => e.name === 'IP_AUTODETECTION_METHOD')).toEqual([
      { name: 'IP_AUTODETECTION_METHOD', value: 'cidr=192.168.56.0/24' },
    ]);
  });

  it('fails clearly when the manifest layout has changed', () => {
    sb = provisioned();
    sb.write(
      '/var/lib/labkit/calico-v3.30.3.yaml',
      readFixture().replace(/CALICO_IPV4POOL_IPIP/g, 'SOMETHING_ELSE'),
    );
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot set the Calico pool');
    expect(r.calls.some((c) => c.cmd === 'kubectl' && c.args.includes('apply'))).toBe(false);
  });

  it('a second run changes nothing and runs no state-changing command', () => {
    sb = provisioned();
    expect(sb.run('master.sh', MASTER_ENV).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(r.stdout).toContain('skipping kubeadm init');
    expect(r.stdout).toContain('skipping apply');
  });

  it('refuses a re-run whose pool settings differ from what the cluster has', () => {
    sb = provisioned();
    expect(sb.run('master.sh', MASTER_ENV).status).toBe(0);
    const r = sb.run('master.sh', { ...MASTER_ENV, LAB_CALICO_IPIP_MODE: 'Never' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('calico-node does not have CALICO_IPV4POOL_IPIP=Never');
  });

  it('rejects an unknown IPIP mode with exit 2', () => {
    sb = provisioned();
    const r = sb.run('master.sh', { ...MASTER_ENV, LAB_CALICO_IPIP_MODE: 'Sometimes' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LAB_CALICO_IPIP_MODE must be Always, CrossSubnet or Never');
  });

  for (const v of Object.keys(MASTER_ENV)) {
    it(`exits 2 naming ${v} when it is missing`, () => {
      sb = new Sandbox();
      const env = Object.fromEntries(Object.entries(MASTER_ENV).filter(([k]) => k !== v));
      const r = sb.run('master.sh', env);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`missing required variable ${v}`);
      expect(r.calls).toEqual([]);
    });
  }
});

function readFixture(): string {
  return readFileSync(join(fixturesDir, 'calico-v3.30.3.yaml'), 'utf8');
}
