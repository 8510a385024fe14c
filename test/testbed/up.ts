// `up`: bridge, namespaces, veths, user, keys, one sshd per host, then inventory + known_hosts.
// Idempotent: every step checks what is there first, so `up` on a running testbed only verifies it
// (and repairs what is missing, e.g. a dead sshd).
import { ensureHostGuard } from './host-guard.ts';
import { mkdir, readFile } from 'node:fs/promises';
import { assertLinuxRoot, assertProgramsInstalled, withTestbedLock } from './guard.ts';
import { ensureKeyPair, ensureSudoers, ensureUser, publicKeyOf, writeAuthorizedKeys } from './identity.ts';
import { installTestbedClusters, type SimulatedClusterOptions } from './cluster.ts';
import { setClusterFaults, type Fault } from './faults.ts';
import { writeInventory, writeKnownHosts } from './inventory.ts';
import { BRIDGE, HOST_ADDRESS, isTestbedNetns, planHosts, type HostPlan } from './layout.ts';
import { assertSubnetFree, ensureBridge, ensureHostNetwork, listNetns } from './network.ts';
import { AUTHORIZED_KEYS_DIR, NETNS_ETC, SUDOERS_FILE, testbedPaths, type TestbedPaths } from './paths.ts';
import { removeHost } from './remove.ts';
import { findSshdPid, isListening, sshdConfigText, startSshd, stopSshd, writeSshdConfig } from './sshd.ts';
import { readState, writeState, type HostState, type TestbedState } from './state.ts';

export interface UpOptions {
  /** Number of clusters of three hosts (default 1). */
  readonly clusters?: number;
  /** Testbed directory (default <repo>/.testbed). */
  readonly dir?: string;
  readonly log?: (line: string) => void;
  /** Faults and timing of the simulated clusters (src/sim) installed on the masters. */
  readonly simulated?: SimulatedClusterOptions;
  /** Faults of one cluster only (`testbed up --fault c2=NAME`), on top of `simulated.faults`. */
  readonly clusterFaults?: Readonly<Record<number, readonly Fault[]>>;
}

export interface TestbedInfo {
  readonly paths: TestbedPaths;
  readonly hosts: readonly HostState[];
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

/** Starts the host's sshd unless one already listens with the current config; returns its PID. */
async function ensureSshd(host: HostPlan, paths: TestbedPaths): Promise<number> {
  const configChanged = (await readText(paths.sshdConfig(host.netns))) !== sshdConfigText(host, paths);
  const running = await findSshdPid(host, paths);
  if (running !== undefined && !configChanged && (await isListening(host))) return running;
  if (running !== undefined) await stopSshd(host, paths);
  await writeSshdConfig(host, paths);
  return startSshd(host, paths);
}

function initialState(
  paths: TestbedPaths,
  clusters: number,
  previous: TestbedState | undefined,
): TestbedState {
  return {
    version: 1,
    phase: 'creating',
    dir: paths.dir,
    clusters,
    bridge: BRIDGE,
    hostAddress: HOST_ADDRESS,
    hosts: previous?.hosts ?? [],
    userCreated: previous?.userCreated ?? false,
    systemPaths: [SUDOERS_FILE, AUTHORIZED_KEYS_DIR],
    inventory: paths.inventory,
    knownHosts: paths.knownHosts,
    clientKey: paths.clientKey,
    upPid: process.pid,
    updatedAt: '',
  };
}

async function bringUp(options: UpOptions): Promise<TestbedInfo> {
  const log = options.log ?? (() => undefined);
  const paths = testbedPaths(options.dir);
  const plan = planHosts(options.clusters ?? 1);
  for (const cluster of Object.keys(options.clusterFaults ?? {}))
    if (!plan.some((h) => h.cluster === Number(cluster)))
      throw new Error(`testbed: faults for cluster ${cluster}, but --clusters is ${plan.length / 3}`);
  await assertSubnetFree();
  const previous = await readState(paths.state);
  const state = initialState(paths, plan.length / 3, previous);
  // Record the planned hosts before creating anything, so a crash from here on is cleaned by `down`.
  const planned = new Set(plan.map((h) => h.netns));
  state.hosts = [...state.hosts.filter((h) => !planned.has(h.netns)), ...plan.map((h) => ({ ...h }))];
  state.systemPaths.push(...plan.map((h) => `${NETNS_ETC}/${h.netns}`));
  await mkdir(paths.dir, { recursive: true, mode: 0o755 });
  await writeState(paths.state, state);

  // Hosts of an earlier, bigger `up --clusters K` that this plan does not include.
  const extra = [
    ...new Set([...state.hosts.map((h) => h.netns), ...(await listNetns()).filter(isTestbedNetns)]),
  ].filter((n) => !planned.has(n));
  for (const netns of extra) {
    log(`removing ${netns} (not in --clusters ${state.clusters})`);
    await removeHost(netns, state.hosts.find((h) => h.netns === netns)?.veth, paths);
  }
  state.hosts = state.hosts.filter((h) => planned.has(h.netns));

  state.userCreated = (await ensureUser()) || state.userCreated;
  await writeState(paths.state, state);
  await ensureSudoers();
  await ensureKeyPair(paths.clientKey, 'labkit-testbed-client');
  await writeAuthorizedKeys([await publicKeyOf(paths.clientKey)]);
  await ensureBridge();
  await ensureHostGuard();

  await Promise.all(
    state.hosts.map(async (host) => {
      await ensureHostNetwork(
        host,
        plan.filter((h) => h.cluster === host.cluster),
      );
      await mkdir(paths.hostDir(host.netns), { recursive: true, mode: 0o700 });
      await ensureKeyPair(paths.hostKey(host.netns), `labkit-testbed-host-${host.netns}`);
      host.sshdPid = await ensureSshd(host, paths);
      log(`${host.netns.padEnd(18)} ${host.address.padEnd(15)} sshd pid ${host.sshdPid}`);
    }),
  );
  await writeState(paths.state, state);

  const keys = await Promise.all(
    state.hosts.map(async (h) => ({
      address: h.address,
      publicKey: await publicKeyOf(paths.hostKey(h.netns)),
    })),
  );
  await writeKnownHosts(keys, paths);
  await writeInventory(state.hosts, paths);
  await installTestbedClusters(state.hosts, paths.dir, options.simulated);
  // A cluster's own faults go to its running apiserver (installTestbedClusters gives every cluster the same).
  for (const [cluster, own] of Object.entries(options.clusterFaults ?? {}))
    await setClusterFaults([...(options.simulated?.faults ?? []), ...own], {
      cluster: Number(cluster),
      dir: paths.dir,
    });
  state.phase = 'up';
  await writeState(paths.state, state);
  return { paths, hosts: state.hosts };
}

/** Brings the testbed up (or verifies and repairs a running one). Needs Linux and root. */
export async function testbedUp(options: UpOptions = {}): Promise<TestbedInfo> {
  assertLinuxRoot();
  await assertProgramsInstalled();
  return withTestbedLock(() => bringUp(options));
}
