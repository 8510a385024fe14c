// `status`: each host the testbed knows (state.json) or finds (namespaces in its scheme), whether its
// sshd runs and listens, and whether a real login answers with the right hostname.
import { access } from 'node:fs/promises';
import { isTestbedNetns, planHosts, type HostPlan } from './layout.ts';
import { listNetns } from './network.ts';
import { TESTBED_USER, testbedPaths, type TestbedPaths } from './paths.ts';
import { shResult } from './sh.ts';
import { findSshdPid, isListening } from './sshd.ts';
import { readState } from './state.ts';

export interface HostStatus {
  readonly netns: string;
  readonly hostname: string;
  readonly address: string;
  readonly namespace: boolean;
  readonly sshdPid: number | undefined;
  readonly listening: boolean;
  /** A login with the testbed key (OpenSSH client, strict host keys) ran `hostname` and got the right name. */
  readonly answers: boolean;
  readonly detail: string;
}

export interface TestbedStatus {
  readonly phase: 'up' | 'creating' | 'down';
  readonly hosts: readonly HostStatus[];
}

/** OpenSSH client arguments for a testbed host: its key, its known_hosts only, never a prompt. */
export function opensshArgs(paths: TestbedPaths, address: string, connectTimeoutSec = 5): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    paths.clientKey,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${paths.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    `ConnectTimeout=${connectTimeoutSec}`,
    `${TESTBED_USER}@${address}`,
  ];
}

async function probeLogin(
  host: HostPlan,
  paths: TestbedPaths,
): Promise<{ answers: boolean; detail: string }> {
  const result = await shResult('ssh', [...opensshArgs(paths, host.address), 'hostname']);
  const name = result.stdout.trim();
  if (result.exitCode === 0 && name === host.hostname) return { answers: true, detail: `hostname ${name}` };
  if (result.exitCode === 0)
    return { answers: false, detail: `hostname says "${name}", expected ${host.hostname}` };
  return { answers: false, detail: result.stderr.trim().split('\n').pop() ?? `ssh exit ${result.exitCode}` };
}

export async function testbedStatus(options: { dir?: string } = {}): Promise<TestbedStatus> {
  const paths = testbedPaths(options.dir);
  const state = await readState(paths.state);
  const present = (await listNetns()).filter(isTestbedNetns);
  const known = state?.hosts ?? [];
  // Namespaces of the scheme that the state does not list (a crash): shown so `down` is run.
  const all = planHosts(24);
  const stray = present
    .filter((n) => !known.some((h) => h.netns === n))
    .map((n) => all.find((h) => h.netns === n))
    .filter((h) => h !== undefined);
  const canLogin = await access(paths.clientKey).then(
    () => true,
    () => false,
  );
  const hosts = await Promise.all(
    [...known, ...stray].map(async (host): Promise<HostStatus> => {
      const namespace = present.includes(host.netns);
      const sshdPid = namespace ? await findSshdPid(host, paths) : undefined;
      const listening = namespace && (await isListening(host));
      const login =
        listening && canLogin
          ? await probeLogin(host, paths)
          : { answers: false, detail: namespace ? 'sshd not listening' : 'no namespace' };
      return {
        netns: host.netns,
        hostname: host.hostname,
        address: host.address,
        namespace,
        sshdPid,
        listening,
        ...login,
      };
    }),
  );
  return { phase: state?.phase ?? (hosts.length > 0 ? 'creating' : 'down'), hosts };
}
