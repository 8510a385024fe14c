import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { COMMON_ENV, K8S, Sandbox, fixturesDir, fmt, isReadOnly } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const PIN = `${K8S.version}-${K8S.revision}`;
// /etc/default/kubelet (a conffile of the kubelet package) is written before the install: keep it.
const KEEP_CONFFILES = '-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold';

describeWithTools(['linux-userland'], 'common.sh', () => {
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
      'apt-get install -y -q ca-certificates curl gpg iptables conntrack socat ebtables ethtool',
      `apt-get install -y -q --allow-change-held-packages ${KEEP_CONFFILES} containerd cri-tools=1.33.0-1.1 kubelet=${PIN} kubeadm=${PIN} kubectl=${PIN}`,
    ]);
    // containerd's version is checked first, before anything is installed
    const policy = calls.indexOf('apt-cache policy containerd');
    expect(policy).toBeGreaterThan(calls.indexOf('apt-get update -q'));
    expect(policy).toBeLessThan(calls.indexOf(install[0] ?? ''));
    expect(r.stdout).toContain(
      '[labkit] packages: containerd 1.7.27-0ubuntu1~22.04.1 (the version apt would install) is supported for Kubernetes 1.33\n',
    );
    // cri-tools: chosen from the pkgs.k8s.io repository after it was added and apt-get update ran
    const madison = calls.indexOf('apt-cache madison cri-tools');
    expect(madison).toBeGreaterThan(calls.lastIndexOf('apt-get update -q'));
    expect(madison).toBeLessThan(calls.indexOf(install[1] ?? ''));
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
    expect(toml).toMatch(
      /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.cni\]\n {6}bin_dir = "\/opt\/cni\/bin"\n {6}conf_dir = "\/etc\/cni\/net\.d"\n/,
    );
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

  it('installs only the prerequisites the box lacks', () => {
    sb = new Sandbox();
    for (const pkg of ['ca-certificates', 'curl', 'gpg', 'iptables', 'ethtool'])
      sb.write(`/../state/dpkg/${pkg}`, '1.0\n');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    const install = r.calls.filter((c) => c.cmd === 'apt-get' && c.args[0] === 'install').map(fmt);
    expect(install[0]).toBe('apt-get install -y -q conntrack socat ebtables');
    expect(install).toHaveLength(2);
  });

  it('pins cri-tools to the newest build of the Kubernetes minor in pkgs.k8s.io, not a distribution build', () => {
    sb = new Sandbox();
    // madison lists newest first: a distribution archive's cri-tools, then the repository's 1.33.x
    sb.extraEnv = { STUB_CRI_TOOLS_DISTRO: '1.35.0-1', STUB_CRI_TOOLS_PATCHES: '2 1 0' };
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    const install = r.calls.filter((c) => c.cmd === 'apt-get' && c.args[0] === 'install').map(fmt);
    expect(install[1]).toContain(' containerd cri-tools=1.33.2-1.1 kubelet=');
    // installed from our minor: a second run neither looks it up nor reinstalls it
    const again = sb.run('common.sh', COMMON_ENV);
    expect(again.calls.map(fmt)).not.toContain('apt-cache madison cri-tools');
    expect(again.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
  });

  it('stops clearly when pkgs.k8s.io offers no cri-tools of the minor', () => {
    sb = new Sandbox();
    sb.extraEnv = { STUB_CRI_TOOLS_PATCHES: '' };
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'pkgs.k8s.io (https://pkgs.k8s.io/core:/stable:/v1.33/deb/) offers no cri-tools 1.33.x',
    );
    expect(r.calls.some((c) => c.cmd === 'apt-get' && c.args.includes('kubeadm=1.33.5-1.1'))).toBe(false);
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
    sb.extraEnv = { STUB_CONTAINERD_LAYOUT: '2.x', STUB_CONTAINERD_VERSION: '2.0.4-0ubuntu1' };
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

  // The CNI directories are set explicitly whatever the default says: /opt/cni/bin is where Calico's
  // install-cni and kubernetes-cni put the plugins.
  it.each([
    {
      layout: '1.7',
      version: '1.7.27-0ubuntu1~22.04.1',
      sect: '"io.containerd.grpc.v1.cri".cni',
      bin: 'bin_dir = "/opt/cni/bin"',
      from: 'bin_dir = "/opt/cni/bin"',
    },
    {
      layout: '1.6-debian12',
      version: '1.6.36~ds1-1',
      sect: '"io.containerd.grpc.v1.cri".cni',
      bin: 'bin_dir = "/opt/cni/bin"',
      from: 'bin_dir = "/opt/cni/bin"',
    },
    {
      layout: '1.7-debian13',
      version: '1.7.24~ds1-6',
      sect: '"io.containerd.grpc.v1.cri".cni',
      bin: 'bin_dir = "/opt/cni/bin"',
      from: 'bin_dir = "/usr/lib/cni"',
    },
    {
      layout: '2.x',
      version: '2.0.4-0ubuntu1',
      sect: "'io.containerd.cri.v1.runtime'.cni",
      bin: 'bin_dir = "/opt/cni/bin"',
      from: "bin_dir = '/opt/cni/bin'",
    },
    {
      layout: '2.1',
      version: '2.2.1-0ubuntu1~22.04.2',
      sect: "'io.containerd.cri.v1.runtime'.cni",
      bin: 'bin_dirs = ["/opt/cni/bin"]',
      from: "bin_dirs = ['/opt/cni/bin']",
    },
  ])(
    'sets the CNI bin and conf dirs for the containerd-default-$layout.toml layout',
    ({ layout, version, sect, bin, from }) => {
      sb = new Sandbox();
      sb.extraEnv = { STUB_CONTAINERD_LAYOUT: layout, STUB_CONTAINERD_VERSION: version };
      const fixture = readFileSync(join(fixturesDir, `containerd-default-${layout}.toml`), 'utf8');
      expect(fixture).toContain(from);
      const r = sb.run('common.sh', COMMON_ENV);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const toml = sb.read('/etc/containerd/config.toml');
      const section = toml.split(`[plugins.${sect}]\n`)[1]?.split('\n\n')[0] ?? '';
      expect(section.split('\n')).toEqual(
        expect.arrayContaining([`      ${bin}`, '      conf_dir = "/etc/cni/net.d"']),
      );
      expect(toml).not.toContain('/usr/lib/cni');
      // exactly one bin dir key: containerd 2.1+ refuses bin_dir and bin_dirs together
      expect(section.match(/^ +bin_dirs? = /gm)).toHaveLength(1);
      expect(r.stdout).toContain('CNI /opt/cni/bin and /etc/cni/net.d); restarting containerd');
    },
  );

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
