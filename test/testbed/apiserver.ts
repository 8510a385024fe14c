// The simulated kube-apiserver of each cluster (src/sim/apiserver/main.ts): one long-lived process in
// the master host's network namespace, listening on <master>:6443, started detached so it outlives a CLI
// `up`; found again by its command line (the cluster's state file). SIGTERM saves the state.
import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiserverClusterFiles } from '../../src/sim/apiserver/install.ts';
import { APISERVER_PORT } from '../../src/sim/apiserver/install.ts';
import type { HostPlan } from './layout.ts';
import { REPO_ROOT } from './paths.ts';
import { findProcesses, isAlive, terminate, trackChild } from './processes.ts';
import { shResult } from './sh.ts';

const MAIN = join(REPO_ROOT, 'src', 'sim', 'apiserver', 'main.ts');
const READY_TIMEOUT_MS = 30_000;

/** PIDs of apiserver processes serving `stateFile` (any cluster when undefined). */
export async function findApiservers(stateFile?: string): Promise<number[]> {
  return findProcesses(
    (argv) => argv.includes(MAIN) && (stateFile === undefined || argv.includes(stateFile)),
  );
}

async function listening(master: HostPlan): Promise<boolean> {
  const result = await shResult('ip', ['netns', 'exec', master.netns, 'ss', '-ltnH']);
  return (
    result.exitCode === 0 &&
    result.stdout.split('\n').some((l) => l.split(/\s+/)[3] === `${master.address}:${APISERVER_PORT}`)
  );
}

export async function stopApiserver(files: ApiserverClusterFiles): Promise<void> {
  await terminate(await findApiservers(files.stateFile), 10_000);
}

/** Starts the cluster's apiserver in the master's namespace and waits until it listens. */
/** Where the testbed builds the pods' images (src/sim/runtime buildImages), shared by all clusters. */
export function imagesDir(files: ApiserverClusterFiles): string {
  return join(files.dir, '..', '..', 'images');
}

export async function startApiserver(files: ApiserverClusterFiles, master: HostPlan): Promise<number> {
  await stopApiserver(files);
  const log = await open(files.log, 'a');
  // nsenter (network only), not `ip netns exec`, whose private mount namespace would keep the pods' netns
  // mounts (`ip netns add` by the kubelet) invisible to the host and to a restarted apiserver.
  const child = spawn(
    'nsenter',
    [
      `--net=/run/netns/${master.netns}`,
      process.execPath,
      '--import',
      'tsx',
      MAIN,
      '--state',
      files.stateFile,
      '--pki',
      files.pkiDir,
      '--address',
      master.address,
      '--nodes',
      files.nodesFile,
      '--images',
      imagesDir(files),
      '--port',
      String(APISERVER_PORT),
    ],
    { cwd: REPO_ROOT, detached: true, stdio: ['ignore', log.fd, log.fd] },
  );
  await log.close();
  trackChild(child);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`testbed: could not spawn the apiserver of ${master.netns}`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid)))
      throw new Error(
        `testbed: the apiserver of ${master.netns} exited at start; ${files.log}:\n${(await readFile(files.log, 'utf8').catch(() => '')).slice(-2000)}`,
      );
    if (await listening(master)) return pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `testbed: the apiserver of ${master.netns} does not listen on ${master.address}:${APISERVER_PORT} after ${READY_TIMEOUT_MS / 1000} s; see ${files.log}`,
  );
}
