// Faults for e2e tests: crash a host's sshd, start it again, give a host a new host key (as a rebuilt
// machine would have) and put the old one back.
import { copyFile, rename } from 'node:fs/promises';
import { regenerateKeyPair } from './identity.ts';
import type { HostPlan } from './layout.ts';
import { testbedPaths } from './paths.ts';
import { crashSshd, findSshdPid, startSshd, stopSshd } from './sshd.ts';
import { readState } from './state.ts';

async function hostOf(netns: string, dir?: string): Promise<HostPlan> {
  const state = await readState(testbedPaths(dir).state);
  const host = state?.hosts.find((h) => h.netns === netns);
  if (!host)
    throw new Error(
      `testbed: no host "${netns}" (is the testbed up? known: ${state?.hosts.map((h) => h.netns).join(', ') ?? 'none'})`,
    );
  return host;
}

/** SIGKILLs the host's sshd listener and all its sessions: open connections drop at once. */
export async function crashHostSshd(netns: string, dir?: string): Promise<void> {
  await crashSshd(await hostOf(netns, dir), testbedPaths(dir));
}

/** Starts the host's sshd (stopping a running one first); resolves once it listens. Returns its PID. */
export async function restartHostSshd(netns: string, dir?: string): Promise<number> {
  const host = await hostOf(netns, dir);
  const paths = testbedPaths(dir);
  if ((await findSshdPid(host, paths)) !== undefined) await stopSshd(host, paths);
  return startSshd(host, paths);
}

/** Gives the host a new host key (old one kept as .orig) and restarts its sshd; known_hosts is not updated. */
export async function replaceHostKey(netns: string, dir?: string): Promise<void> {
  const key = testbedPaths(dir).hostKey(netns);
  await copyFile(key, `${key}.orig`);
  await copyFile(`${key}.pub`, `${key}.pub.orig`);
  await regenerateKeyPair(key, `labkit-testbed-host-${netns}-replaced`);
  await restartHostSshd(netns, dir);
}

/** Puts back the key replaceHostKey saved and restarts sshd. */
export async function restoreHostKey(netns: string, dir?: string): Promise<void> {
  const key = testbedPaths(dir).hostKey(netns);
  await rename(`${key}.orig`, key);
  await rename(`${key}.pub.orig`, `${key}.pub`);
  await restartHostSshd(netns, dir);
}
