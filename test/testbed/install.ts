// Installs what the testbed needs on Debian/Ubuntu (as CI does): openssh-server without starting a
// host-wide sshd (policy-rc.d answers 101 "action forbidden" to every service start during the install).
import { access, constants, rm, writeFile } from 'node:fs/promises';
import { sh } from './sh.ts';

export const TESTBED_PACKAGES = [
  'openssh-server',
  'openssh-client',
  'iproute2',
  'sudo',
  'procps',
  'util-linux',
  'passwd',
  // unzip: the official kubectl comes out of the npm package's layer.zip (src/sim/apiserver/kubectl-binary.ts).
  'unzip',
  'openssl',
  // iptables: kube-proxy's rules in the node namespaces (src/sim/proxy).
  'iptables',
] as const;

const REQUIRED_PROGRAMS = [
  '/usr/sbin/sshd',
  '/usr/bin/ssh',
  '/usr/bin/ssh-keygen',
  '/usr/sbin/ip',
  '/usr/bin/ss',
  '/usr/bin/sudo',
  '/usr/bin/unshare',
  '/usr/sbin/useradd',
  '/usr/bin/pgrep',
  '/usr/bin/unzip',
  '/usr/bin/openssl',
  '/usr/sbin/iptables-restore',
];
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Programs the testbed runs that are not installed. */
export async function missingPrograms(): Promise<string[]> {
  const missing: string[] = [];
  for (const program of REQUIRED_PROGRAMS) if (!(await exists(program))) missing.push(program);
  return missing;
}

/** Installs the testbed's packages when a program is missing; waits for a busy dpkg lock (up to 10 min). */
export async function installTestbedPackages(log: (line: string) => void = () => undefined): Promise<void> {
  const missing = await missingPrograms();
  if (missing.length === 0) {
    log('testbed packages: already installed');
    return;
  }
  log(`testbed packages: installing ${TESTBED_PACKAGES.join(' ')} (missing ${missing.join(', ')})`);
  const createdPolicy = !(await exists(POLICY_RC_D));
  if (createdPolicy)
    await writeFile(
      POLICY_RC_D,
      '#!/bin/sh\n# written by labkit testbed install: no daemon starts during apt-get\nexit 101\n',
      { mode: 0o755 },
    );
  try {
    const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
    await sh('apt-get', [...lockWait, 'update']);
    await sh('env', [
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      ...lockWait,
      'install',
      '-y',
      '--no-install-recommends',
      ...TESTBED_PACKAGES,
    ]);
  } finally {
    if (createdPolicy) await rm(POLICY_RC_D, { force: true });
  }
  const still = await missingPrograms();
  if (still.length > 0) throw new Error(`testbed install: still missing after apt-get: ${still.join(', ')}`);
}
