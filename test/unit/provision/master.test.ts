import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { COMMON_ENV, MASTER_ENV, Sandbox, fixturesDir, fmt, isReadOnly, type Call } from './harness.ts';

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

interface Manifest {
  kind?: string;
  spec?: { template?: { spec?: { containers?: { image: string }[]; initContainers?: { image: string }[] } } };
}

/** Every container and init container image of the manifest master.sh applied, in file order. */
function appliedImages(s: Sandbox): string[] {
  return parseAllDocuments(s.read('/../state/calico-applied.yaml'))
    .map((d) => d.toJS() as Manifest | null)
    .flatMap((d) => {
      const pod = d?.spec?.template?.spec;
      return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c) => c.image);
    });
}

const CALICO_IMAGES = (registry: string): string[] =>
  ['cni', 'cni', 'node', 'node', 'kube-controllers'].map((n) => `${registry}/calico/${n}:v3.30.3`);

const INIT_ARGV = [
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
];

/** The control-plane commands of a run, in order: kubeadm, and kubectl without its --kubeconfig flag. */
function controlPlaneCalls(calls: Call[], s: Sandbox): string[] {
  return calls
    .filter((c) => c.cmd === 'kubeadm' || c.cmd === 'kubectl')
    .map((c) => fmt(c).replace(`--kubeconfig ${s.path('/etc/kubernetes/admin.conf')} `, ''));
}

const READYZ = 'kubectl --request-timeout=5s get --raw /readyz';

function provisioned(): Sandbox {
  const s = new Sandbox();
  const r = s.run('common.sh', COMMON_ENV);
  if (r.status !== 0) throw new Error(r.stderr);
  return s;
}

describeWithTools(['linux-userland'], 'master.sh', () => {
  it('runs kubeadm init with exactly the lab flags', () => {
    sb = provisioned();
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const init = r.calls.filter((c) => c.cmd === 'kubeadm' && c.args[0] === 'init');
    expect(init.map((c) => c.args)).toEqual([INIT_ARGV]);
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
    // a fresh node (no admin.conf): straight to init, no health poll, no reset
    expect(controlPlaneCalls(r.calls, sb)[0]).toBe(`kubeadm ${INIT_ARGV.join(' ')}`);
    expect(r.calls.map(fmt).filter((c) => c.includes('/readyz') || c.startsWith('kubeadm reset'))).toEqual(
      [],
    );
  });

  it('skips kubeadm init when admin.conf exists and the API server answers /readyz', () => {
    sb = provisioned();
    expect(sb.run('master.sh', MASTER_ENV).status).toBe(0);
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(0);
    expect(controlPlaneCalls(r.calls, sb)[0]).toBe(READYZ);
    expect(r.calls.some((c) => c.cmd === 'kubeadm' && ['init', 'reset'].includes(c.args[0] ?? ''))).toBe(
      false,
    );
    expect(r.stdout).toContain(
      '[labkit] init: control plane already initialised (API server ready); skipping kubeadm init\n',
    );
  });

  it('waits for an API server that is still starting (after a reboot) instead of resetting it', () => {
    sb = provisioned();
    expect(sb.run('master.sh', MASTER_ENV).status).toBe(0);
    sb.write('/../state/readyz-down', '2\n'); // static pods not up yet for the first two polls
    const r = sb.run('master.sh', {
      ...MASTER_ENV,
      LAB_APISERVER_WAIT_SECONDS: '60',
      LAB_APISERVER_POLL_SECONDS: '0',
    });
    expect(r.status).toBe(0);
    expect(controlPlaneCalls(r.calls, sb).slice(0, 4)).toEqual([
      READYZ,
      READYZ,
      READYZ,
      'kubectl -n kube-system get daemonset calico-node',
    ]);
    expect(r.stdout).toContain('skipping kubeadm init');
  });

  it('resets and re-runs an init that stopped after writing admin.conf (API server never ready)', () => {
    sb = provisioned();
    // what a failed init leaves: its kubeconfig phase wrote admin.conf, no control plane came up
    sb.write(
      '/etc/kubernetes/admin.conf',
      'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://192.168.56.10:6443\n',
    );
    const r = sb.run('master.sh', { ...MASTER_ENV, LAB_APISERVER_WAIT_SECONDS: '0' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rendered = sb.path('/var/lib/labkit/calico-v3.30.3-labkit.yaml');
    expect(controlPlaneCalls(r.calls, sb)).toEqual([
      READYZ,
      'kubeadm reset -f --cri-socket unix:///run/containerd/containerd.sock',
      `kubeadm ${INIT_ARGV.join(' ')}`,
      'kubectl -n kube-system get daemonset calico-node',
      `kubectl apply --server-side --force-conflicts -f ${rendered}`,
      'kubectl -n kube-system get daemonset calico-node -o jsonpath={range .spec.template.spec.containers[?(@.name=="calico-node")].env[*]}{.name}={.value}{"\\n"}{end}',
    ]);
    expect(r.stdout).toContain(
      '[labkit] init: a previous kubeadm init did not finish: admin.conf exists but the API server did not answer /readyz within 0s. Resetting this node (kubeadm reset -f) and running kubeadm init again\n',
    );
    // the new init's admin.conf reached the vagrant user
    expect(sb.read('/home/vagrant/.kube/config')).toContain('current-context: kubernetes-admin@kubernetes');
    expect(r.stdout).toContain('[labkit] calico: calico-node env verified');
  });

  it.each(['LAB_APISERVER_WAIT_SECONDS', 'LAB_APISERVER_POLL_SECONDS'])('rejects a non-numeric %s', (v) => {
    sb = provisioned();
    const r = sb.run('master.sh', { ...MASTER_ENV, [v]: '2m' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${v} must be a number of seconds (got '2m')`);
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

  it('pulls every Calico image from quay.io by default: no docker.io image is left', () => {
    sb = provisioned();
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(0);
    expect(readFixture()).toContain('image: docker.io/calico/node:v3.30.3'); // what upstream v3.30.3 ships
    expect(sb.read('/var/lib/labkit/calico-v3.30.3-labkit.yaml')).not.toMatch(/^\s*(- )?image:.*docker\.io/m);
    expect(appliedImages(sb)).toEqual(CALICO_IMAGES('quay.io'));
    expect(r.stdout).toContain('[labkit] calico: applying Calico v3.30.3: images from quay.io,');
  });

  it('moves the images to a configured registry with a port and a path', () => {
    sb = provisioned();
    const registry = 'registry.example.org:5000/mirror';
    const r = sb.run('master.sh', { ...MASTER_ENV, LAB_CALICO_REGISTRY: registry });
    expect(r.status).toBe(0);
    expect(appliedImages(sb)).toEqual(CALICO_IMAGES(registry));
    // the pool settings are still set and verified on the rewritten manifest
    expect(appliedCalicoEnv(sb).find((e) => e.name === 'CALICO_IPV4POOL_CIDR')?.value).toBe('172.16.0.0/16');
    expect(r.stdout).toContain('[labkit] calico: calico-node env verified');
  });

  it('also moves a manifest that already names quay.io (Calico v3.31+) and quoted images', () => {
    sb = provisioned();
    sb.write(
      '/var/lib/labkit/calico-v3.30.3.yaml',
      readFixture()
        .replace(/image: docker\.io\/calico\//g, 'image: quay.io/calico/')
        .replace(
          'image: quay.io/calico/kube-controllers:v3.30.3',
          'image: "calico/kube-controllers:v3.30.3"',
        ),
    );
    const r = sb.run('master.sh', { ...MASTER_ENV, LAB_CALICO_REGISTRY: 'mirror.example.org' });
    expect(r.status).toBe(0);
    expect(appliedImages(sb)).toEqual(CALICO_IMAGES('mirror.example.org'));
  });

  it('refuses a manifest with an image that is not a Calico image, before applying anything', () => {
    sb = provisioned();
    sb.write(
      '/var/lib/labkit/calico-v3.30.3.yaml',
      readFixture().replace(
        'image: docker.io/calico/kube-controllers:v3.30.3',
        'image: docker.io/library/busybox:1',
      ),
    );
    const r = sb.run('master.sh', MASTER_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('only calico/<name> images (docker.io or quay.io) to move to quay.io');
    expect(r.calls.some((c) => c.cmd === 'kubectl' && c.args.includes('apply'))).toBe(false);
  });

  it.each(['quay.io/calico images', 'quay.io;id', 'Quay.io', 'https://quay.io', 'quay.io/', '$(id)'])(
    'rejects LAB_CALICO_REGISTRY %j with exit 2',
    (registry) => {
      sb = provisioned();
      const r = sb.run('master.sh', { ...MASTER_ENV, LAB_CALICO_REGISTRY: registry });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('LAB_CALICO_REGISTRY must be a registry host[:port][/path] such as quay.io');
      expect(r.calls.some((c) => c.cmd === 'kubeadm' || c.cmd === 'kubectl')).toBe(false);
    },
  );

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
    expect(r.stderr).toContain('expected exactly one calico-node env entry CALICO_IPV4POOL_IPIP');
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
