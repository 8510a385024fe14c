import { afterEach, describe, expect, it } from 'vitest';
import { COMMON_ENV, K8S, Sandbox, fmt, isReadOnly } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const PIN = `${K8S.version}-${K8S.revision}`;
// /etc/default/kubelet (a conffile of the kubelet package) is written before the install: keep it.
const KEEP_CONFFILES = '-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';

describe('common.sh', () => {
  it('prepares a fresh node: swap, modules, sysctl, hosts, packages, containerd, kubelet', () => {
    sb = new Sandbox();
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = r.calls.map(fmt);

    // swap off now and in fstab
    expect(calls).toContain('swapoff -a');
    expect(sb.read('/etc/fstab')).toBe(
      'LABEL=cloudimg-rootfs\t/\text4\tdefaults\t0 1\n' +
        '# disabled by labkit (kubelet needs swap off): /swap.img\tnone\tswap\tsw\t0\t0\n',
    );

    // kernel modules and sysctl: exact whole files
    expect(sb.read('/etc/modules-load.d/k8s.conf')).toBe(
      '# written by labkit: modules containerd and kube-proxy/Calico need\noverlay\nbr_netfilter\n',
    );
    expect(calls).toContain('modprobe overlay');
    expect(calls).toContain('modprobe br_netfilter');
    expect(sb.read('/etc/sysctl.d/k8s.conf')).toBe(
      '# written by labkit: bridged pod traffic must pass iptables, and nodes must forward packets\n' +
        'net.bridge.bridge-nf-call-iptables = 1\n' +
        'net.bridge.bridge-nf-call-ip6tables = 1\n' +
        'net.ipv4.ip_forward = 1\n',
    );
    expect(calls).toContain('sysctl --system');

    // /etc/hosts: whole file, all lab nodes
    expect(sb.read('/etc/hosts')).toBe(
      '# written by labkit (scripts/provision/common.sh); rewritten whole on every provision\n' +
        '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n' +
        '192.168.56.10 master-node\n192.168.56.11 worker-node01\n192.168.56.12 worker-node02\n',
    );

    // pkgs.k8s.io repository for the minor version, signed-by keyring
    expect(calls).toContain('curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key');
    expect(calls).toContain(
      'gpg --batch --yes --dearmor -o ' + sb.path('/etc/apt/keyrings/kubernetes-apt-keyring.gpg'),
    );
    expect(sb.read('/etc/apt/sources.list.d/kubernetes.list')).toBe(
      'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /\n',
    );
    // pinned packages, containerd from the distribution (never docker), then hold
    const install = r.calls.filter((c) => c.cmd === 'apt-get' && c.args[0] === 'install').map(fmt);
    expect(install).toEqual([
      'apt-get install -y -q ca-certificates curl gpg iptables conntrack',
      `apt-get install -y -q --allow-change-held-packages ${KEEP_CONFFILES} containerd kubelet=${PIN} kubeadm=${PIN} kubectl=${PIN}`,
    ]);
    // docker is only ever looked up (dpkg-query), never installed
    expect(
      r.calls
        .filter((c) => !isReadOnly(c))
        .map(fmt)
        .join('\n'),
    ).not.toMatch(/docker/);
    expect(calls).toContain('apt-mark hold kubelet kubeadm kubectl');
    // the repository is added before the pinned install, and apt-get update runs in between
    const idxList = calls.indexOf(install[1] ?? '');
    expect(calls.lastIndexOf('apt-get update -q')).toBeLessThan(idxList);
    expect(
      calls.indexOf('curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key'),
    ).toBeLessThan(idxList);

    // containerd: systemd cgroup driver and kubeadm's pause image
    const toml = sb.read('/etc/containerd/config.toml');
    expect(toml).toMatch(
      /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.runc\.options\][^[]*\n {12}SystemdCgroup = true\n/,
    );
    expect(toml).not.toMatch(/SystemdCgroup = false/);
    expect(toml).toContain('    sandbox_image = "registry.k8s.io/pause:3.10"\n');
    expect(toml).toContain('    systemd_cgroup = false\n'); // the 1.x CRI-level legacy key stays untouched
    expect(calls).toContain(`kubeadm config images list --kubernetes-version v${K8S.version}`);
    expect(calls).toContain('systemctl restart containerd');

    // kubelet node IP from the interface that carries LAB_NODE_IP
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
    expect(r.stdout).toContain(
      '[labkit] kubelet: node IP 192.168.56.10 (interface eth1) written to /etc/default/kubelet',
    );
    expect(calls).toContain('systemctl enable --now kubelet');
    // the node IP file exists before the first package command (base phase first)
    const progressLines = r.stdout.split('\n');
    expect(progressLines.findIndex((l) => l.startsWith('[labkit] kubelet: node IP'))).toBeLessThan(
      progressLines.findIndex((l) => l.startsWith('[labkit] packages:')),
    );

    // progress lines
    const progress = r.stdout.split('\n').filter((l) => l.startsWith('[labkit]'));
    expect(progress.map((l) => /^\[labkit\] ([a-z]+): /.exec(l)?.[1])).toEqual(
      expect.arrayContaining([
        'preflight',
        'swap',
        'kernel',
        'sysctl',
        'hosts',
        'packages',
        'containerd',
        'kubelet',
        'common',
      ]),
    );
  });

  it('installs only the prerequisites the box lacks (a bento Ubuntu box ships all but conntrack)', () => {
    sb = new Sandbox();
    for (const pkg of ['ca-certificates', 'curl', 'gpg', 'iptables'])
      sb.write(`/../state/dpkg/${pkg}`, '1.0\n');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    const install = r.calls.filter((c) => c.cmd === 'apt-get' && c.args[0] === 'install').map(fmt);
    expect(install[0]).toBe('apt-get install -y -q conntrack');
    expect(install).toHaveLength(2);
  });

  it('a second run changes nothing and runs no state-changing command', () => {
    sb = new Sandbox();
    expect(sb.run('common.sh', COMMON_ENV).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
  });

  it('supports the containerd 2.x config layout (version 3), adding SystemdCgroup when the default omits it', () => {
    sb = new Sandbox();
    sb.extraEnv = { STUB_CONTAINERD_LAYOUT: '2.x' };
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    const toml = sb.read('/etc/containerd/config.toml');
    expect(toml).toMatch(
      /\[plugins\.'io\.containerd\.cri\.v1\.runtime'\.containerd\.runtimes\.runc\.options\]\n(?: {12}\w+ = [^\n]*\n)*? {12}SystemdCgroup = true\n/,
    );
    expect(toml).toMatch(
      /\[plugins\.'io\.containerd\.cri\.v1\.images'\.pinned_images\]\n {6}sandbox = "registry\.k8s\.io\/pause:3\.10"\n/,
    );
    expect(toml.match(/SystemdCgroup/g)).toHaveLength(1);
  });

  it('fails with a clear message when no interface carries LAB_NODE_IP', () => {
    sb = new Sandbox({ nodeIp: '192.168.56.99' });
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no network interface carries LAB_NODE_IP=192.168.56.10 on master-node');
    expect(r.stderr).toContain('eth0=10.0.2.15/24');
    expect(r.stderr).toContain('eth1=192.168.56.99/24');
  });

  it('refuses to continue when docker is installed', () => {
    sb = new Sandbox();
    sb.addStub('docker');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Docker is installed on master-node');
    expect(r.stderr).toContain('172.17.0.1/16');
    // nothing was changed before the refusal
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
  });

  it('moves a held kubelet of another version to the pinned one without re-holding', () => {
    sb = new Sandbox();
    expect(sb.run('common.sh', COMMON_ENV).status).toBe(0);
    sb.write('/../state/dpkg/kubelet', '1.33.4-1.1\n');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([
      'apt-get update -q',
      `apt-get install -y -q --allow-change-held-packages ${KEEP_CONFFILES} kubelet=${PIN}`,
    ]);
  });

  for (const v of Object.keys(COMMON_ENV)) {
    it(`exits 2 naming ${v} when it is missing`, () => {
      sb = new Sandbox();
      const env = Object.fromEntries(Object.entries(COMMON_ENV).filter(([k]) => k !== v));
      const r = sb.run('common.sh', env);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`missing required variable ${v}`);
      expect(r.calls).toEqual([]);
    });
  }

  it('rejects a LAB_HOSTS that does not list this node', () => {
    sb = new Sandbox();
    const r = sb.run('common.sh', { ...COMMON_ENV, LAB_HOSTS: '192.168.56.11=worker-node01' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LAB_HOSTS does not list this node (192.168.56.10=master-node)');
  });
});
