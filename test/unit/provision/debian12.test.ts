// common.sh on a minimal Debian 12 box (the VM lane's: debootstrap minbase + systemd-sysv, openssh-server,
// sudo, ifupdown, iproute2; no curl/gpg, no swap, eth0/eth1 names) and with Ubuntu's VirtualBox interface
// names. The containerd default config is the real output of Debian 12's containerd 1.6.20
// (`containerd config default`, captured from the bookworm package).
import { afterEach, describe, expect, it } from 'vitest';
import { COMMON_ENV, Sandbox, fmt, isReadOnly } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const DEBIAN_FSTAB = '/dev/vda / ext4 defaults 0 1\n';

function debianBox(): Sandbox {
  const s = new Sandbox({ swap: false });
  s.write('/etc/fstab', DEBIAN_FSTAB);
  s.extraEnv = { STUB_CONTAINERD_LAYOUT: '1.6-debian12' };
  return s;
}

describe('common.sh on a minimal Debian 12 box', () => {
  it('installs its own prerequisites (ca-certificates, curl, gpg) before adding pkgs.k8s.io', () => {
    sb = debianBox();
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = r.calls.map(fmt);
    const prereq = calls.indexOf('apt-get install -y -q ca-certificates curl gpg iptables conntrack');
    expect(prereq).toBeGreaterThan(-1);
    expect(calls.indexOf('apt-get update -q')).toBeLessThan(prereq);
    expect(prereq).toBeLessThan(
      calls.indexOf('curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key'),
    );
  });

  it('leaves a swap-less fstab alone and calls no swapoff', () => {
    sb = debianBox();
    const before = sb.snapshot().get('etc/fstab');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    expect(r.calls.map(fmt)).not.toContain('swapoff -a');
    expect(sb.read('/etc/fstab')).toBe(DEBIAN_FSTAB);
    expect(sb.snapshot().get('etc/fstab')).toBe(before);
    expect(r.stdout).toContain('[labkit] swap: already off\n');
  });

  it("turns Debian's containerd 1.6 default into a kubeadm-ready config", () => {
    sb = debianBox();
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    const toml = sb.read('/etc/containerd/config.toml');
    expect(toml).toMatch(
      /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.runc\.options\]\n(?: {12}\w+ = [^\n]*\n)*? {12}SystemdCgroup = true\n/,
    );
    expect(toml.match(/SystemdCgroup/g)).toHaveLength(1);
    expect(toml).toContain('    sandbox_image = "registry.k8s.io/pause:3.10"\n');
    expect(toml).not.toContain('pause:3.6');
    // Debian's packaged /etc/containerd/config.toml points CNI at /usr/lib/cni; the file is replaced
    // whole, so containerd looks where kubernetes-cni and Calico's install-cni put the plugins.
    expect(toml).toContain('      bin_dir = "/opt/cni/bin"\n');
    expect(toml).not.toContain('/usr/lib/cni');
    expect(r.calls.map(fmt)).toContain('systemctl restart containerd');
  });

  it('a second run on Debian changes nothing', () => {
    sb = debianBox();
    expect(sb.run('common.sh', COMMON_ENV).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
  });
});

describe('kubelet node IP: the interface is found by its address, whatever its name', () => {
  it.each([
    { box: 'Ubuntu on VirtualBox (enp0s8)', iface: 'enp0s8' },
    { box: 'Debian with net.ifnames=0 (eth1)', iface: 'eth1' },
    { box: 'libvirt with predictable names (ens6)', iface: 'ens6' },
  ])('$box', ({ iface }) => {
    sb = new Sandbox();
    sb.write(
      '/../state/ip-addr',
      [
        '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
        '2: enp0s3    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic enp0s3\\       valid_lft 86000sec',
        `3: ${iface}    inet 192.168.56.10/24 brd 192.168.56.255 scope global ${iface}\\       valid_lft forever`,
      ].join('\n') + '\n',
    );
    const r = sb.run('common.sh', { ...COMMON_ENV, LAB_PROVISION_UNTIL: 'base' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `[labkit] kubelet: node IP 192.168.56.10 (interface ${iface}) written to /etc/default/kubelet\n`,
    );
    expect(sb.read('/etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
    expect(r.calls.map(fmt)).toContain('ip -o -4 addr show');
  });
});
