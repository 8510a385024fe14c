// Containers whose program is one of labkit's own Node programs rather than a busybox root: the coredns
// pods run the cluster DNS server (src/sim/dns/main.ts) in their sandbox's network namespace. The process
// is a detached child of the apiserver (it outlives a restart and is adopted again, found by its command
// line); the runtime's shim writes its stdout and stderr to the container attempt's log, as for any container.
import { spawn } from 'node:child_process';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessExit } from '../apiserver/streams/types.ts';
import { SHIM } from '../runtime/container.ts';
import { exitOf } from '../runtime/proc.ts';
import type { ContainerHandle, RunningContainer } from './runtime-port.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DNS_MAIN = join(REPO_ROOT, 'src', 'sim', 'dns', 'main.ts');
const POLL_MS = 500;
/** Marks a host-program container's environment: `LABKIT_CONTAINER=<sandbox>/<name>/<attempt>`. */
const MARK = 'LABKIT_CONTAINER';

/** registry.k8s.io/coredns/coredns (any tag): the cluster DNS server. */
export function isDnsImage(image: string): boolean {
  return /(^|\/)coredns\/coredns(:|@|$)/.test(image);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function handleFor(id: string, pid: number, startedAt: number, exit: Promise<ProcessExit>): ContainerHandle {
  return {
    id,
    startedAt,
    exit,
    signal: (signal) => {
      try {
        // The process group: `ip netns exec` execs node, but a grandchild must not outlive it.
        process.kill(-pid, signal);
      } catch {
        try {
          process.kill(pid, signal);
        } catch {
          // gone already
        }
      }
    },
  };
}

/** An adopted process is not our child: its exit is seen by polling, its code is lost (reported 0). */
function polledExit(pid: number): Promise<ProcessExit> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (alive(pid)) return;
      clearInterval(timer);
      resolve({ code: 0 });
    }, POLL_MS);
  });
}

export interface HostProgramOptions {
  readonly sandboxId: string;
  readonly name: string;
  readonly attempt: number;
  readonly logFile: string;
  readonly env: readonly (readonly [string, string])[];
  /** The admin kubeconfig the DNS server watches the apiserver with. */
  readonly kubeconfig: string;
}

export async function startDnsContainer(options: HostProgramOptions): Promise<ContainerHandle> {
  await mkdir(dirname(options.logFile), { recursive: true });
  const shimErrors = await open(join(dirname(options.logFile), 'shim.err'), 'a');
  const tag = `${options.sandboxId}/${options.name}/${options.attempt}`;
  const child = spawn(
    '/usr/bin/python3',
    [
      SHIM,
      '--log',
      options.logFile,
      '--',
      'ip',
      'netns',
      'exec',
      options.sandboxId,
      process.execPath,
      '--import',
      'tsx',
      DNS_MAIN,
      '--kubeconfig',
      options.kubeconfig,
      '--port',
      '53',
    ],
    {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'ignore', shimErrors.fd],
      env: { ...process.env, ...Object.fromEntries(options.env), [MARK]: tag },
    },
  );
  await shimErrors.close();
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the DNS server in ${options.sandboxId}`);
  const exit = new Promise<ProcessExit>((resolve) =>
    // The shim reports a signal's end as 128 + N, as the container runtime does.
    child.once('exit', (code, signal) =>
      resolve(signal ? { code: 128 + (signal === 'SIGKILL' ? 9 : 15), signal } : exitOf(code ?? 0)),
    ),
  );
  return handleFor(tag, pid, Date.now(), exit);
}

/** The host-program containers still running (after a restart of the apiserver). */
export async function listHostPrograms(): Promise<RunningContainer[]> {
  const found: RunningContainer[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    // The shim (the group leader, signalled with its program): its argv holds the program's.
    if (argv[1] !== SHIM || !argv.includes(DNS_MAIN)) continue;
    const environ = (await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '')).split('\0');
    const mark = environ.find((e) => e.startsWith(`${MARK}=`))?.slice(MARK.length + 1) ?? '';
    const [sandboxId, name, attempt] = mark.split('/');
    if (!sandboxId || !name || attempt === undefined) continue;
    const pid = Number(entry);
    const started = Date.now();
    found.push({
      sandboxId,
      name,
      attempt: Number(attempt),
      handle: handleFor(`${sandboxId}/${name}/${attempt}`, pid, started, polledExit(pid)),
    });
  }
  return found;
}
