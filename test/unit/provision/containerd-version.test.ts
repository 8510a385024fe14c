// common.sh refuses a containerd older than containerd's own support matrix allows for the Kubernetes
// minor (https://github.com/containerd/containerd/blob/main/RELEASES.md#kubernetes-support), before
// anything is installed: the installed package, else the candidate `apt-cache policy` names.
import { afterEach, expect, it } from 'vitest';
import { describeWithTools } from '../../helpers/with-tools.ts';
import { COMMON_ENV, Sandbox, fmt } from './harness.ts';

let sb: Sandbox;
afterEach(() => sb.cleanup());

function withCandidate(version: string): Sandbox {
  const s = new Sandbox();
  s.extraEnv = { STUB_CONTAINERD_VERSION: version };
  return s;
}

const installs = (calls: { cmd: string; args: string[] }[]): string[] =>
  calls.filter((c) => c.cmd === 'apt-get' && c.args[0] === 'install').map(fmt);

describeWithTools(['linux-userland'], 'common.sh: containerd version check', () => {
  it("refuses Debian 12's containerd 1.6.20 for Kubernetes 1.33 with what to do, before installing anything", () => {
    sb = withCandidate('1.6.20~ds1-1+deb12u3');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "[labkit] error: containerd 1.6.20~ds1-1+deb12u3 (the version apt would install on master-node) is too old for Kubernetes 1.33: containerd's support matrix (RELEASES.md, Kubernetes Support) needs 2.1.0+ 2.0.4+ 1.7.24+ 1.6.36+ (same release line, or a newer line). Debian 12 ships 1.6.20, which no Kubernetes release in the table accepts. Use the default box bento/ubuntu-22.04 (containerd from jammy-updates), or a distribution whose containerd package is new enough (Debian 13: 1.7.24), then provision again. Nothing has been installed.\n",
    );
    // announced as step packages (lab:up names the step from the last `[labkit] <step>:` line)
    expect(
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith('[labkit]'))
        .at(-1),
    ).toBe("[labkit] packages: checking containerd against Kubernetes 1.33 (containerd's support matrix)");
    // the package phase stopped at its first step: lists refreshed, candidate read, nothing installed
    expect(installs(r.calls)).toEqual([]);
    expect(r.calls.map(fmt).filter((c) => /^(apt-get|apt-cache|curl|gpg|apt-mark)/.test(c))).toEqual([
      'apt-get update -q',
      'apt-cache policy containerd',
    ]);
  });

  it('refuses an installed containerd that is too old, and says to upgrade it', () => {
    sb = new Sandbox();
    sb.write('/../state/dpkg/containerd', '1.7.12-0ubuntu2~22.04.1\n');
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'containerd 1.7.12-0ubuntu2~22.04.1 (installed on master-node) is too old for Kubernetes 1.33',
    );
    expect(r.stderr).toContain(
      'Upgrade containerd on master-node to a supported version, or start from a fresh box.',
    );
    expect(r.calls.map(fmt)).not.toContain('apt-cache policy containerd');
    expect(installs(r.calls)).toEqual([]);
  });

  it.each([
    '1.6.36-1',
    '1.7.24~ds1-6', // Debian 13
    '1.7.27-0ubuntu1~22.04.1',
    '1:1.7.28-1', // an epoch is ignored
    '2.0.4-1',
    '2.1.0-1',
    '2.2.1-0ubuntu1~22.04.2', // Ubuntu 22.04 jammy-updates now: a newer line than the 1.33 row lists
  ])('accepts containerd %s for Kubernetes 1.33', (version) => {
    sb = withCandidate(version);
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `[labkit] packages: containerd ${version} (the version apt would install) is supported for Kubernetes 1.33\n`,
    );
  });

  it.each(['1.5.9-0ubuntu3', '1.6.35-1', '1.7.23-1', '2.0.3-1', '1.7.24~rc1-1', '1.6.20~ds1-1+deb12u3'])(
    'refuses containerd %s for Kubernetes 1.33',
    (version) => {
      sb = withCandidate(version);
      const r = sb.run('common.sh', COMMON_ENV);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        `containerd ${version} (the version apt would install on master-node) is too old`,
      );
      expect(installs(r.calls)).toEqual([]);
    },
  );

  it("follows LAB_K8S_VERSION's minor: 1.7.24 is enough for 1.33 but not for 1.34 (1.7.28+)", () => {
    sb = withCandidate('1.7.24~ds1-6');
    const r = sb.run('common.sh', { ...COMMON_ENV, LAB_K8S_VERSION: '1.34.1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is too old for Kubernetes 1.34');
    expect(r.stderr).toContain('needs 2.1.3+ 2.0.6+ 1.7.28+ 1.6.39+ (same release line, or a newer line)');
  });

  it('a Kubernetes minor without table data is not checked, with a warning', () => {
    sb = withCandidate('1.6.20~ds1-1+deb12u3');
    const r = sb.run('common.sh', { ...COMMON_ENV, LAB_K8S_VERSION: '1.40.0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "[labkit] packages: warning: no containerd support data for Kubernetes 1.40 in common.sh (containerd 1.6.20~ds1-1+deb12u3 not checked); add the row from containerd's RELEASES.md\n",
    );
  });

  it('stops clearly when apt offers no containerd at all', () => {
    sb = new Sandbox();
    sb.write('/../state/apt-candidate/containerd', ''); // apt knows no such package
    const r = sb.run('common.sh', COMMON_ENV);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('apt offers no containerd package on master-node');
    expect(installs(r.calls)).toEqual([]);
  });
});
