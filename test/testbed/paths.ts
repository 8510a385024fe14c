// Where the testbed keeps its files: one directory (default <repo>/.testbed) plus the few system paths
// that must live elsewhere.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_TESTBED_DIR = join(REPO_ROOT, '.testbed');

/** Read by sshd as user vagrant with StrictModes on: a root-owned path every user can read, outside the repo. */
export const AUTHORIZED_KEYS_DIR = '/run/labkit-testbed';
export const AUTHORIZED_KEYS_FILE = join(AUTHORIZED_KEYS_DIR, 'authorized_keys');
export const SUDOERS_FILE = '/etc/sudoers.d/labkit-testbed';
export const NETNS_ETC = '/etc/netns';
/** Serialises up/down between processes (a pid file at `<this>.pid`). */
export const LOCK_FILE = '/run/lock/labkit-testbed';
/** OpenSSH's privilege-separation directory (normally made by the service script we keep from running). */
export const SSHD_PRIVSEP_DIR = '/run/sshd';
export const TESTBED_USER = 'vagrant';
/** GECOS of a user the testbed created: `down` removes only a user carrying it. */
export const TESTBED_USER_GECOS = 'labkit testbed';

export interface TestbedPaths {
  readonly dir: string;
  readonly state: string;
  readonly inventory: string;
  readonly knownHosts: string;
  readonly clientKey: string;
  readonly clientPublicKey: string;
  hostDir(netns: string): string;
  sshdConfig(netns: string): string;
  sshdPidFile(netns: string): string;
  sshdLog(netns: string): string;
  hostKey(netns: string): string;
}

export function testbedPaths(dir: string = DEFAULT_TESTBED_DIR): TestbedPaths {
  const root = resolve(dir);
  const hostDir = (netns: string): string => join(root, 'hosts', netns);
  return {
    dir: root,
    state: join(root, 'state.json'),
    inventory: join(root, 'inventory.yaml'),
    knownHosts: join(root, 'known_hosts'),
    clientKey: join(root, 'id_ed25519'),
    clientPublicKey: join(root, 'id_ed25519.pub'),
    hostDir,
    sshdConfig: (netns) => join(hostDir(netns), 'sshd_config'),
    sshdPidFile: (netns) => join(hostDir(netns), 'sshd.pid'),
    sshdLog: (netns) => join(hostDir(netns), 'sshd.log'),
    hostKey: (netns) => join(hostDir(netns), 'ssh_host_ed25519_key'),
  };
}
