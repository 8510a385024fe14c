// A container as a real process tree: container-init.sh starts it as PID 1 of new PID, mount and UTS
// namespaces inside the pod's network namespace, on an overlay of the image (the pod writes to its own
// upper directory, never into the shared image), chrooted, in its own cgroups; its shim (shim.py) appends
// stdout and stderr to the log in the CRI format, each line tagged with its stream. The launcher is
// detached and writes the exit status to a file, so a
// restarted simulator adopts a running container from its record (PID + the kernel's start time).
import { spawn } from 'node:child_process';
import { closeSync, lstatSync, openSync, readlinkSync, watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { z } from 'zod';
import { cgroupName } from './names.ts';
import { createCgroup, DEFAULT_LIMITS, killCgroup, removeCgroup, type Limits } from './cgroup.ts';
import { containerArgv, type Image } from './images.ts';
import { netnsPath, type Sandbox } from './sandbox.ts';
import { exitOf, pidAlive, processStartTime, waitForChild } from './proc.ts';
import type { ProcessExit } from '../apiserver/streams/types.ts';

export const INIT_SCRIPT = fileURLToPath(new URL('./container-init.sh', import.meta.url));

export interface ContainerSpec {
  /** The container's name in the pod spec. */
  readonly name: string;
  readonly image: Image;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** The container's environment (spec env and service variables), in order. */
  readonly env: readonly (readonly [string, string])[];
  /** The pod's hostname (its name, or spec.hostname). */
  readonly hostname: string;
  /** Keep the main process's stdin open for `kubectl attach` (spec `stdin: true`). */
  readonly stdin?: boolean;
  /** spec `stdinOnce`: stdin reads EOF once the caller closes `stdinHolder` (the first attach ending),
   *  as containerd closes the container's stdin pipe. Without it stdin stays open for every attach. */
  readonly stdinOnce?: boolean;
  readonly tty?: boolean;
  readonly limits?: Limits;
}

/** What the kubelet keeps to find a running container again (JSON; adoptContainer reads it back). */
export const ContainerRecordSchema = z.object({
  name: z.string(),
  dir: z.string(),
  logPath: z.string(),
  /** The container's PID 1, as the host sees it, and its start time (field 22 of /proc/PID/stat). */
  pid: z.number().int(),
  startTime: z.string(),
  launcherPid: z.number().int(),
  cgroups: z.array(z.string()),
  env: z.array(z.tuple([z.string(), z.string()])),
  stdinFifo: z.string().optional(),
  resizeFifo: z.string().optional(),
  tty: z.boolean(),
  startedAt: z.string(),
});
export type ContainerRecord = z.infer<typeof ContainerRecordSchema>;

export type StartResult =
  | {
      readonly kind: 'started';
      readonly record: ContainerRecord;
      /** With stdinOnce: the one write end of the stdin fifo held for the container (an fd of this
       *  process); writing to it feeds stdin, closing it gives the container EOF. */
      readonly stdinHolder?: number;
    }
  /** The command cannot run (not in the image): the kubelet's StartError / RunContainerError. */
  | { readonly kind: 'start-error'; readonly message: string };

/** containerd's words for an executable missing from the image. */
export const notFoundMessage = (program: string): string =>
  `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`;

/** The first of `program` in the image's PATH (or itself when it has a slash), as exec would find it. */
export function resolveInRoot(
  root: string,
  program: string,
  env: readonly (readonly [string, string])[],
): string | undefined {
  if (program.includes('/')) return existsInRoot(root, program) ? program : undefined;
  const path =
    [...env].reverse().find(([k]) => k === 'PATH')?.[1] ??
    '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  for (const dir of path.split(':').filter(Boolean)) {
    const candidate = join(dir, program);
    if (existsInRoot(root, candidate)) return candidate;
  }
  return undefined;
}

/** Whether `path` exists inside `root`, following symlinks as the container sees them (busybox's
 *  applets are absolute links to /bin/busybox, which the host does not have). */
export function existsInRoot(root: string, path: string, hops = 0): boolean {
  const full = join(root, path);
  let stat;
  try {
    stat = lstatSync(full);
  } catch {
    return false;
  }
  if (!stat.isSymbolicLink()) return true;
  if (hops > 16) return false;
  const target = readlinkSync(full);
  return existsInRoot(root, target.startsWith('/') ? target : join(dirname(path), target), hops + 1);
}

/** The container's environment as a runtime gives it: the image's, PATH, HOSTNAME, then the spec's. */
export function containerEnv(spec: ContainerSpec): [string, string][] {
  const merged = new Map<string, string>();
  for (const [k, v] of spec.image.env) merged.set(k, v);
  merged.set('HOSTNAME', spec.hostname);
  for (const [k, v] of spec.env) merged.set(k, v);
  // A TTY container gets TERM as docker/containerd set it.
  if (spec.tty && !merged.has('TERM')) merged.set('TERM', 'xterm');
  return [...merged];
}

/** Starts the container in `dir` (its own directory; any earlier run there is replaced). */
export async function startContainer(
  sandbox: Sandbox,
  spec: ContainerSpec,
  dir: string,
): Promise<StartResult> {
  const argv = containerArgv(spec.image, spec.command, spec.args);
  const env = containerEnv(spec);
  const program = argv[0];
  if (program === undefined) return { kind: 'start-error', message: 'no command specified' };
  if (resolveInRoot(spec.image.rootfs, program, env) === undefined)
    return { kind: 'start-error', message: notFoundMessage(program) };

  await rm(join(dir, 'upper'), { recursive: true, force: true });
  await rm(join(dir, 'work'), { recursive: true, force: true });
  for (const sub of ['upper', 'work', 'root']) await mkdir(join(dir, sub), { recursive: true });
  const exitFile = join(dir, 'exit');
  await rm(exitFile, { force: true });
  const logPath = join(dir, 'log');
  const cgroups = await createCgroup(cgroupName(sandbox.netns, spec.name), spec.limits ?? DEFAULT_LIMITS);
  const stdinFifo = spec.stdin || spec.tty ? join(dir, 'stdin') : undefined;
  const resizeFifo = spec.tty ? join(dir, 'resize') : undefined;
  for (const fifo of [stdinFifo, resizeFifo])
    if (fifo !== undefined) {
      await rm(fifo, { force: true });
      await execa('mkfifo', ['-m', '600', fifo]);
    }

  // stdinOnce: this process holds the only write end, opened before the container opens the fifo
  // read-only, so the container blocks on read until attached input comes and sees EOF when it is closed.
  const once = stdinFifo !== undefined && spec.stdinOnce === true && spec.tty !== true;
  const stdinHolder = once ? openSync(stdinFifo, 'r+') : undefined;
  const inner = [
    spec.image.rootfs,
    join(dir, 'upper'),
    join(dir, 'work'),
    join(dir, 'root'),
    sandbox.filesDir,
    spec.hostname,
    spec.tty ? 'tty' : once ? `once:${stdinFifo}` : (stdinFifo ?? 'none'),
    String(cgroups.length),
    ...cgroups,
    String(env.length),
    ...env.map(([k, v]) => `${k}=${v}`),
    ...argv,
  ];
  const outer = ['outer', exitFile, netnsPath(sandbox.netns), ...inner];
  // The shim's own complaints (not the container's output, which it logs) go to a file of their own.
  const shimErrors = openSync(join(dir, 'shim.err'), 'a');
  try {
    const terminal =
      spec.tty && stdinFifo && resizeFifo ? ['--tty', '--input', stdinFifo, '--resize', resizeFifo] : [];
    const command = [SHIM, ...terminal, '--log', logPath, '--', '/bin/sh', INIT_SCRIPT, ...outer];
    const child = spawn('/usr/bin/python3', command, {
      detached: true,
      stdio: ['ignore', 'ignore', shimErrors],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    child.unref();
    const launcherPid = child.pid;
    if (launcherPid === undefined) throw new Error(`cannot start ${INIT_SCRIPT}`);
    // undefined: the command already ended (its exit is in the exit file).
    const pid = (await findContainerPid(launcherPid, exitFile)) ?? 0;
    const record: ContainerRecord = {
      name: spec.name,
      dir,
      logPath,
      pid,
      startTime: pid === 0 ? '' : ((await processStartTime(pid)) ?? ''),
      launcherPid,
      cgroups,
      env,
      stdinFifo,
      resizeFifo,
      tty: spec.tty === true,
      startedAt: new Date().toISOString(),
    };
    await writeFile(join(dir, 'record.json'), JSON.stringify(record));
    return { kind: 'started', record, ...(stdinHolder !== undefined ? { stdinHolder } : {}) };
  } finally {
    closeSync(shimErrors);
  }
}

/** The runtime's shim (conmon's job): the pty, the CRI log with its stream tags, the exit status. */
export const SHIM = fileURLToPath(new URL('./shim.py', import.meta.url));

/** The container's PID 1: the grandchild of the launcher (the shim, whose child exec'd nsenter,
 *  unshare and the parent stage), once it has chrooted into its root (so an exec
 *  finds the container's files). */
async function findContainerPid(launcherPid: number, exitFile: string): Promise<number | undefined> {
  const deadline = Date.now() + 10_000;
  const top = await waitForChild(launcherPid, deadline, exitFile);
  const pid = top === undefined ? undefined : await waitForChild(top, deadline, exitFile);
  if (pid === undefined) return undefined;
  while (Date.now() < deadline) {
    const root = await readRoot(pid);
    if (root === undefined || root !== '/') return pid;
    await sleep(2);
  }
  throw new Error(`container PID ${pid} did not start in time`);
}

const readRoot = (pid: number): Promise<string | undefined> =>
  import('node:fs/promises').then((fs) => fs.readlink(`/proc/${pid}/root`).catch(() => undefined));

/** A container found again from its record: undefined when its PID 1 is gone or is another process. */
export async function isRunning(record: ContainerRecord): Promise<boolean> {
  return record.pid > 0 && pidAlive(record.pid) && (await processStartTime(record.pid)) === record.startTime;
}

/** Resolves with the container's exit once its launcher has written it. Waits on inotify for the exit
 *  file (an idle node must not cost CPU per container); a slow poll backs it up for a launcher that dies
 *  without writing, and for an adopted container whose directory cannot be watched. */
export async function waitForExit(record: ContainerRecord, pollMs = 50): Promise<ProcessExit> {
  const exitFile = join(record.dir, 'exit');
  const changes = watchDir(record.dir);
  try {
    for (;;) {
      const text = await readFile(exitFile, 'utf8').catch(() => undefined);
      if (text !== undefined && text.endsWith('\n')) {
        // The launcher (the shim) may still be copying the last output to the log.
        if (!pidAlive(record.launcherPid)) return exitOf(Number(text.trim()));
        await sleep(pollMs);
        continue;
      }
      if (!pidAlive(record.launcherPid)) {
        // The launcher died without writing (killed): the container is gone too, status unknown.
        await sleep(pollMs);
        const again = await readFile(exitFile, 'utf8').catch(() => undefined);
        return again?.endsWith('\n') ? exitOf(Number(again.trim())) : { code: 137, signal: 'SIGKILL' };
      }
      await changes.next(BACKSTOP_POLL_MS);
    }
  } finally {
    changes.close();
  }
}

const BACKSTOP_POLL_MS = 1000;

/** Changes in `dir` as a level-triggered signal: next() resolves at once when anything changed since the
 *  last call, else at the next change or after `timeoutMs`. */
function watchDir(dir: string): { next(timeoutMs: number): Promise<void>; close(): void } {
  let changed = false;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const signal = (): void => {
    changed = true;
    wake?.();
  };
  try {
    watcher = watch(dir, signal);
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined; // no directory (yet): the poll alone
  }
  return {
    async next(timeoutMs) {
      if (!changed) {
        const timer = new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, timeoutMs).unref();
        });
        await timer;
        wake = undefined;
      }
      changed = false;
    },
    close: () => watcher?.close(),
  };
}

/** SIGTERM to PID 1, SIGKILL to every process of the container after `graceMs`, then the cgroups go.
 *  Resolves with the exit. (A PID 1 without a TERM handler ignores SIGTERM, as in a real container.) */
export async function stopContainer(record: ContainerRecord, graceMs: number): Promise<ProcessExit> {
  const exited = waitForExit(record, 20);
  if (await isRunning(record)) {
    signal(record.pid, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) signal(record.pid, 'SIGKILL');
  }
  await killCgroup(record.cgroups);
  const exit = await Promise.race([
    exited,
    sleep(5000).then((): ProcessExit => ({ code: 137, signal: 'SIGKILL' })),
  ]);
  await removeCgroup(record.cgroups);
  return exit;
}

/** Frees what a stopped container leaves (its cgroups, its writable layer; the log stays). */
export async function cleanupContainer(record: ContainerRecord): Promise<void> {
  await killCgroup(record.cgroups);
  await removeCgroup(record.cgroups);
  await rm(join(record.dir, 'upper'), { recursive: true, force: true });
  await rm(join(record.dir, 'work'), { recursive: true, force: true });
}

export async function readRecord(dir: string): Promise<ContainerRecord | undefined> {
  const text = await readFile(join(dir, 'record.json'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : ContainerRecordSchema.parse(JSON.parse(text));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone
  }
}
