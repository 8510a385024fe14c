// One real OpenSSH sshd per host: its own config, host key, pid file and log, started in the host's
// network namespace with its own hostname (UTS namespace), probed with `ss -ltn` inside the namespace
// (a TCP connect would show up in sshd's log as a failed key exchange).
import { spawn } from 'node:child_process';
import { chown, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { masterKubeDir, masterPath } from './cluster.ts';
import { userHome, userIds } from './identity.ts';
import type { HostPlan } from './layout.ts';
import { AUTHORIZED_KEYS_FILE, SSHD_PRIVSEP_DIR, TESTBED_USER, type TestbedPaths } from './paths.ts';
import {
  findProcesses,
  isAlive,
  liveCmdline,
  processTree,
  terminate,
  trackChild,
  waitForExit,
} from './processes.ts';
import { shResult } from './sh.ts';

export const SSHD = '/usr/sbin/sshd';
const READY_TIMEOUT_MS = 10_000;

export function sshdConfigText(host: HostPlan, paths: TestbedPaths): string {
  return [
    `# labkit testbed: sshd of ${host.netns} (${host.address})`,
    `ListenAddress ${host.address}:22`,
    `HostKey ${paths.hostKey(host.netns)}`,
    `PidFile ${paths.sshdPidFile(host.netns)}`,
    `AuthorizedKeysFile ${AUTHORIZED_KEYS_FILE}`,
    `AllowUsers ${TESTBED_USER}`,
    'UsePAM no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin no',
    'StrictModes yes',
    'UseDNS no',
    'MaxSessions 10',
    // Room for benchmarks that open many connections at once (default 10:30:100 drops some at random).
    'MaxStartups 200:30:400',
    'PrintMotd no',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    // The simulated cluster's kubectl (cluster.ts) on the master's PATH only.
    ...(host.role === 'master' ? [`SetEnv PATH=${masterPath(paths.dir, host.cluster)}`] : []),
    '',
  ].join('\n');
}

export async function writeSshdConfig(host: HostPlan, paths: TestbedPaths): Promise<void> {
  await mkdir(paths.hostDir(host.netns), { recursive: true, mode: 0o700 });
  await mkdir(SSHD_PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  await writeFile(paths.sshdConfig(host.netns), sshdConfigText(host, paths), { mode: 0o600 });
  const test = await shResult(SSHD, ['-t', '-f', paths.sshdConfig(host.netns)]);
  if (test.exitCode !== 0)
    throw new Error(`testbed: sshd -t rejected ${paths.sshdConfig(host.netns)}: ${test.stderr.trim()}`);
}

/** True when a process is (or is about to exec) the sshd listener of this config file. The listener
 *  rewrites its command line (`sshd: /usr/sbin/sshd -D -f CONF [listener] 0 of 200-400 startups`), so
 *  match the joined text; session processes (`sshd: vagrant@notty`) do not name the config. */
function isHostSshd(argv: readonly string[], configFile: string): boolean {
  const line = argv.join(' ');
  return line.includes(SSHD) && line.includes(configFile);
}

/** The listener's PID: from its pid file if that process is still this host's sshd, else by a /proc scan. */
export async function findSshdPid(host: HostPlan, paths: TestbedPaths): Promise<number | undefined> {
  const configFile = paths.sshdConfig(host.netns);
  try {
    const pid = Number((await readFile(paths.sshdPidFile(host.netns), 'utf8')).trim());
    const argv = Number.isInteger(pid) && pid > 0 ? await liveCmdline(pid) : undefined;
    if (argv && isHostSshd(argv, configFile)) return pid;
  } catch {
    // no pid file yet
  }
  const found = await findProcesses((argv) => isHostSshd(argv, configFile));
  return found[0];
}

/** Every sshd listener started from a config under the testbed directory (including after a crash). */
export async function findAllTestbedSshd(paths: TestbedPaths): Promise<number[]> {
  return findProcesses((argv) => {
    const line = argv.join(' ');
    return line.includes(SSHD) && line.includes(`${paths.dir}/hosts/`);
  });
}

/** Whether something listens on <address>:22 inside the host's namespace. */
export async function isListening(host: HostPlan): Promise<boolean> {
  const result = await shResult('ip', ['netns', 'exec', host.netns, 'ss', '-ltnH']);
  if (result.exitCode !== 0) return false;
  return result.stdout.split('\n').some((line) => line.split(/\s+/)[3] === `${host.address}:22`);
}

async function tail(file: string, lines = 15): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The bind mount of a master's ~/.kube: both ends exist and belong to user vagrant. */
async function kubeMount(testbedDir: string, cluster: number): Promise<{ source: string; target: string }> {
  const owner = await userIds();
  const source = masterKubeDir(testbedDir, cluster);
  const target = join(await userHome(), '.kube');
  for (const dir of [source, target]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chown(dir, owner.uid, owner.gid);
  }
  return { source, target };
}

/** Starts the host's sshd (detached, so it outlives a CLI `up`) and waits until it listens. Returns its PID. */
export async function startSshd(host: HostPlan, paths: TestbedPaths): Promise<number> {
  await mkdir(SSHD_PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  await rm(paths.sshdPidFile(host.netns), { force: true });
  const log = await open(paths.sshdLog(host.netns), 'a');
  // A master's sessions see the cluster's own ~/.kube (cluster.ts masterKubeDir) in a mount namespace
  // of their own: every testbed cluster's master has user vagrant, with one home on this machine.
  const kube = host.role === 'master' ? await kubeMount(paths.dir, host.cluster) : undefined;
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      host.netns,
      'unshare',
      '--uts',
      ...(kube ? ['--mount', '--propagation', 'private'] : []),
      'sh',
      '-c',
      kube
        ? 'hostname "$1" && mount --bind "$4" "$5" && exec "$2" -D -e -f "$3"'
        : 'hostname "$1" && exec "$2" -D -e -f "$3"',
      'sh',
      host.hostname,
      SSHD,
      paths.sshdConfig(host.netns),
      ...(kube ? [kube.source, kube.target] : []),
    ],
    { detached: true, stdio: ['ignore', log.fd, log.fd] },
  );
  await log.close();
  trackChild(child);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`testbed: could not spawn sshd for ${host.netns}`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!(await isAlive(pid)))
      throw new Error(
        `testbed: sshd of ${host.netns} exited at start; ${paths.sshdLog(host.netns)} ends with:\n${await tail(paths.sshdLog(host.netns))}`,
      );
    if (await isListening(host)) return pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(
    `testbed: sshd of ${host.netns} does not listen on ${host.address}:22 after ${READY_TIMEOUT_MS / 1000} s; log:\n${await tail(paths.sshdLog(host.netns))}`,
  );
}

/** Stops the host's sshd listener and its sessions (TERM, then KILL) and waits for them. */
export async function stopSshd(host: HostPlan, paths: TestbedPaths): Promise<void> {
  const pid = await findSshdPid(host, paths);
  if (pid === undefined) return;
  await terminate(await processTree(pid));
  await rm(paths.sshdPidFile(host.netns), { force: true });
}

/** SIGKILLs the listener and every session process below it: sshd "crashes", connections drop. */
export async function crashSshd(host: HostPlan, paths: TestbedPaths): Promise<void> {
  const pid = await findSshdPid(host, paths);
  if (pid === undefined) throw new Error(`testbed: no sshd running for ${host.netns}`);
  const tree = await processTree(pid);
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  for (const p of tree) await waitForExit(p, 5_000);
}
