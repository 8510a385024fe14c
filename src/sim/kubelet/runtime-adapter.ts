// The kubelet's KubeletRuntime on this machine: src/sim/runtime (images, sandboxes, containers as real
// processes, exec, logs) plus, at this boundary, what the kubelet needs beyond it: per-attempt container
// directories (so `kubectl logs --previous` has the last run), listing what runs for adoption, attach
// (the log followed, stdin and resize through the container's FIFOs) and the coredns pods' DNS server
// (host-program.ts).
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import {
  attachContainer,
  cleanupContainer,
  createSandbox,
  execInContainer,
  isRunning,
  lookupImage,
  readRecord,
  removeSandbox,
  sandboxOf,
  stopContainer,
  startContainer,
  waitForExit,
  type ContainerRecord,
  type Image,
} from '../runtime/index.ts';
import {
  ProcessStartError,
  type PodProcess,
  type ProcessExit,
  type StartOptions,
} from '../apiserver/streams/types.ts';
import type { ImageConfig } from './command.ts';
import { isDnsImage, listHostPrograms, startDnsContainer } from './host-program.ts';
import type {
  ContainerConfig,
  ContainerHandle,
  KubeletRuntime,
  RunningContainer,
  SandboxConfig,
} from './runtime-port.ts';

export interface RuntimeAdapterOptions {
  readonly cluster: number;
  /** Where the images were built (test/testbed install: buildImages). */
  readonly imagesDir: string;
  /** Per-pod directories: <podsDir>/<sandbox>/ (pod files) and …/containers/<name>/<attempt>/. */
  readonly podsDir: string;
  /** The admin kubeconfig the DNS server watches the apiserver with. */
  readonly kubeconfig: string;
  readonly dnsIp: string;
}

const DNS_IMAGE: ImageConfig = { entrypoint: ['/coredns'], cmd: [] };

interface Live {
  readonly record?: ContainerRecord;
  readonly exit: Promise<ProcessExit>;
  attached: boolean;
  /** A stdinOnce container's stdin (startContainer's stdinHolder): the first attach's EOF closes it. */
  stdinHolder?: WriteStream;
}

export class RuntimeAdapter implements KubeletRuntime {
  /** Running containers by `<sandbox>/<name>`: their record (for exec/attach) and exit. */
  private readonly live = new Map<string, Live>();

  constructor(private readonly options: RuntimeAdapterOptions) {}

  private podDir(id: string): string {
    return join(this.options.podsDir, id);
  }

  private containerDir(id: string, name: string, attempt: number): string {
    return join(this.podDir(id), 'containers', name, String(attempt));
  }

  private lookup(ref: string): Image | undefined {
    const found = lookupImage(this.options.imagesDir, ref);
    return found.kind === 'found' ? found.image : undefined;
  }

  image(ref: string): ImageConfig | undefined {
    if (isDnsImage(ref)) return DNS_IMAGE;
    const image = this.lookup(ref);
    return image ? { entrypoint: image.entrypoint, cmd: image.cmd } : undefined;
  }

  private sandbox(
    config: Pick<SandboxConfig, 'id' | 'podUid' | 'ip' | 'nodeNetns'>,
  ): ReturnType<typeof sandboxOf> {
    return sandboxOf({
      cluster: this.options.cluster,
      podUid: config.podUid,
      podIp: config.ip,
      nodeNetns: config.nodeNetns,
      podDir: this.podDir(config.id),
    });
  }

  async runSandbox(config: SandboxConfig): Promise<void> {
    await createSandbox({
      cluster: this.options.cluster,
      podUid: config.podUid,
      podIp: config.ip,
      nodeNetns: config.nodeNetns,
      podDir: this.podDir(config.id),
      files: { hostname: config.podName, namespace: config.namespace, dnsIp: this.options.dnsIp },
    });
  }

  async removeSandbox(id: string): Promise<void> {
    for (const [key, live] of this.live)
      if (key.startsWith(`${id}/`)) {
        if (live.record) await stopContainer(live.record, 0).catch(() => undefined);
        this.live.delete(key);
      }
    // Whatever else still runs in it (not adopted, half started) would keep the namespace alive.
    const pids = await execa('ip', ['netns', 'pids', id], { reject: false });
    for (const pid of pids.stdout
      .split('\n')
      .map(Number)
      .filter((n) => n > 1 && n !== process.pid))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    // The node end of the veth (and its /32 route) goes with the pod's netns: no node name needed.
    await removeSandbox({
      netns: id,
      hostVeth: '',
      nodeNetns: '',
      podIp: '',
      podDir: this.podDir(id),
      filesDir: join(this.podDir(id), 'etc'),
    });
  }

  async startContainer(sandbox: SandboxConfig, config: ContainerConfig): Promise<ContainerHandle> {
    const dir = this.containerDir(sandbox.id, config.name, config.attempt);
    const key = `${sandbox.id}/${config.name}`;
    if (isDnsImage(config.image)) {
      const handle = await startDnsContainer({
        sandboxId: sandbox.id,
        name: config.name,
        attempt: config.attempt,
        logFile: join(dir, 'log'),
        env: config.env,
        kubeconfig: this.options.kubeconfig,
      });
      this.live.set(key, { exit: handle.exit, attached: false });
      return handle;
    }
    const image = this.lookup(config.image);
    if (!image) throw new ProcessStartError(`image ${config.image} is not present`);
    const result = await startContainer(
      this.sandbox(sandbox),
      {
        name: config.name,
        image,
        // The kubelet has combined command/args with the image already: pass them as the command.
        command: config.argv,
        env: config.env,
        hostname: sandbox.podName,
        stdin: config.stdin,
        stdinOnce: config.stdinOnce,
        tty: config.tty,
      },
      dir,
    );
    if (result.kind === 'start-error') throw new ProcessStartError(result.message);
    const handle = this.track(key, result.record);
    const live = this.live.get(key);
    if (live && result.stdinHolder !== undefined)
      live.stdinHolder = createWriteStream('', { fd: result.stdinHolder }).on('error', () => undefined);
    return handle;
  }

  private track(key: string, record: ContainerRecord): ContainerHandle {
    const exit = waitForExit(record).then(async (e) => {
      await cleanupContainer(record).catch(() => undefined);
      const live = this.live.get(key);
      if (live?.record === record) {
        live.stdinHolder?.destroy();
        this.live.delete(key);
      }
      return e;
    });
    this.live.set(key, { record, exit, attached: false });
    return {
      id: `${key}/${record.pid}`,
      startedAt: Date.parse(record.startedAt),
      exit,
      signal: (signal) => {
        if (signal === 'SIGKILL') void stopContainer(record, 0).catch(() => undefined);
        else
          try {
            process.kill(record.pid, 'SIGTERM');
          } catch {
            // gone already
          }
      },
    };
  }

  async listSandboxes(): Promise<string[]> {
    const prefix = `lkpod-c${this.options.cluster}-`;
    const r = await execa('ip', ['-o', 'netns', 'list'], { reject: false });
    return r.stdout
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(prefix));
  }

  async listContainers(): Promise<RunningContainer[]> {
    const found: RunningContainer[] = [];
    const prefix = `lkpod-c${this.options.cluster}-`;
    for (const program of await listHostPrograms())
      if (program.sandboxId.startsWith(prefix)) {
        this.live.set(`${program.sandboxId}/${program.name}`, {
          exit: program.handle.exit,
          attached: true,
        });
        found.push(program);
      }
    for (const id of await readdir(this.options.podsDir).catch(() => [] as string[])) {
      if (!id.startsWith(prefix)) continue;
      const containers = join(this.podDir(id), 'containers');
      for (const name of await readdir(containers).catch(() => [] as string[]))
        for (const attempt of await readdir(join(containers, name)).catch(() => [] as string[])) {
          const record = await readRecord(join(containers, name, attempt));
          if (!record || !(await isRunning(record))) continue;
          // Adopted: its first attach happened in the earlier process (no replay of the whole log).
          const handle = this.track(`${id}/${name}`, record);
          const live = this.live.get(`${id}/${name}`);
          if (live) live.attached = true;
          found.push({ sandboxId: id, name, attempt: Number(attempt), handle });
        }
    }
    return found;
  }

  private running(sandboxId: string, container: string): Live & { record: ContainerRecord } {
    const live = this.live.get(`${sandboxId}/${container}`);
    if (!live?.record) throw new ProcessStartError('failed to exec in container: container is not running');
    return live as Live & { record: ContainerRecord };
  }

  exec(
    sandboxId: string,
    container: string,
    argv: readonly string[],
    options: StartOptions,
  ): Promise<PodProcess> {
    return execInContainer(this.running(sandboxId, container).record, argv, options);
  }

  /** Joins the main process; the first attach replays the whole log (see attachContainer). */
  async attach(sandboxId: string, container: string, options: StartOptions): Promise<PodProcess> {
    const live = this.running(sandboxId, container);
    const fromStart = !live.attached;
    live.attached = true;
    return attachContainer(live.record, {
      fromStart,
      stdin: options.stdin,
      exit: live.exit,
      ...(live.stdinHolder ? { stdinHolder: live.stdinHolder } : {}),
    });
  }

  logFile(sandboxId: string, container: string, attempt: number): string {
    return join(this.containerDir(sandboxId, container, attempt), 'log');
  }
}
