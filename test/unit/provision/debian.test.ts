// common.sh on minimal Debian boxes (the VM lane's Debian 12: debootstrap minbase + systemd-sysv,
// openssh-server, sudo, ifupdown, iproute2; no curl/gpg, no swap, eth0/eth1 names) and with Ubuntu's
// VirtualBox interface names. Debian 12's containerd 1.6.20 is below containerd's support matrix for every
// Kubernetes minor labkit pins, so the package phase refuses it there (containerd-version.test.ts); the
// full install is exercised on Debian 13 (containerd 1.7.24, whose default CNI bin dir is /usr/lib/cni).
// The 1.6 layout fixture is the real `containerd config default` of Debian 12's containerd 1.6.20.
import { afterEach, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { COMMON_ENV, Sandbox, fmt, isReadOnly } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

const DEBIAN_FSTAB = '/dev/vda / ext4 defaults 0 1\n';

function debianBox(release: 'debian12' | 'debian13'): Sandbox {
  const s = new Sandbox({ swap: false });
  s.write('/etc/fstab', DEBIAN_FSTAB);
  s.extraEnv =
    release === 'debian12'
      ? { STUB_CONTAINERD_LAYOUT: '1.6-debian12', STUB_CONTAINERD_VERSION: '1.6.20~ds1-1+deb12u3' }
      : { STUB_CONTAINERD_LAYOUT: '1.7-debian13', STUB_CONTAINERD_VERSION: '1.7.24~ds1-6' };
  return s;
}

describeWithTools(['linux-userland'], 'common.sh on a minimal Debian box', () => {
  it('Debian 12: the base phase runs, the package phase stops at the containerd check', () => {
    sb = debianBox('debian12');
    const base = sb.run('common.sh', { ...COMMON_ENV, LAB_PROVISION_UNTIL: 'base' });
    expect(base.status).toBe(0);
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'containerd 1.6.20~ds1-1+deb12u3 (the version apt would install on master-node)',
    );
    expect(r.stderr).toContain('Use the default box bento/ubuntu-22.04');
    expect(r.calls.some((c) => c.cmd === 'apt-get' && c.args[0] === 'install')).toBe(false);
  });

  it('Debian 13: installs its own prerequisites (ca-certificates, curl, gpg, ...) before adding pkgs.k8s.io', () => {
    sb = debianBox('debian13');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = r.calls.map(fmt);
    const prereq = calls.indexOf(
      'apt-get install -y -q ca-certificates curl gpg iptables conntrack socat ebtables ethtool',
    );
    expect(prereq).toBeGreaterThan(-1);
    expect(calls.indexOf('apt-get update -q')).toBeLessThan(prereq);
    expect(prereq).toBeLessThan(
      calls.indexOf('curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key'),
    );
  });

  it('leaves a swap-less fstab alone and calls no swapoff', () => {
    sb = debianBox('debian12');
    const before = sb.snapshot().get('etc/fstab');
    const r = sb.run('common.sh', { ...COMMON_ENV, LAB_PROVISION_UNTIL: 'base' });
    expect(r.status).toBe(0);
    expect(r.calls.map(fmt)).not.toContain('swapoff -a');
    expect(sb.read('/etc/fstab')).toBe(DEBIAN_FSTAB);
    expect(sb.snapshot().get('etc/fstab')).toBe(before);
    expect(r.stdout).toContain('[labkit] swap: already off\n');
  });

  it('turns the containerd 1.6 default (real Debian 12 output; a supported 1.6.36+ build) into a kubeadm-ready config', () => {
    sb = debianBox('debian12');
    sb.extraEnv = { ...sb.extraEnv, STUB_CONTAINERD_VERSION: '1.6.36~ds1-1' };
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
    // whole and the CNI dirs are set explicitly, so containerd looks where Calico's install-cni puts the plugins.
    expect(toml).toContain('      bin_dir = "/opt/cni/bin"\n');
    expect(toml).not.toContain('/usr/lib/cni');
    expect(r.calls.map(fmt)).toContain('systemctl restart containerd');
  });

  it("Debian 13: containerd 1.7.24's default CNI bin dir /usr/lib/cni becomes /opt/cni/bin", () => {
    sb = debianBox('debian13');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    const toml = sb.read('/etc/containerd/config.toml');
    expect(toml).toContain(
      '    [plugins."io.containerd.grpc.v1.cri".cni]\n      bin_dir = "/opt/cni/bin"\n      conf_dir = "/etc/cni/net.d"\n',
    );
    expect(toml).not.toContain('/usr/lib/cni');
  });

  it('a second run on Debian changes nothing', () => {
    sb = debianBox('debian13');
    expect(sb.run('common.sh', COMMON_ENV).status).toBe(0);
    const before = sb.snapshot();
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => !isReadOnly(c)).map(fmt)).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
  });
});

describeWithTools(
  ['linux-userland'],
  'kubelet node IP: the interface is found by its address, whatever its name',
  () => {
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
  },
);
