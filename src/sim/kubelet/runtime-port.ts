// What the kubelet needs from a container runtime, in the kubelet's own terms (the CRI's RunPodSandbox,
// CreateContainer/StartContainer, StopContainer, RemovePodSandbox, ListContainers, Exec, Attach, the log
// file). runtime-adapter.ts implements it with src/sim/runtime; tests implement it in memory.
import type { PodProcess, ProcessExit, StartOptions } from '../apiserver/streams/types.ts';
import type { ImageConfig } from './command.ts';

export interface SandboxConfig {
  /** The pod sandbox's network namespace name (`lkpod-c<cluster>-<12 hex of the uid>`). */
  readonly id: string;
  readonly podUid: string;
  readonly podName: string;
  readonly namespace: string;
  readonly ip: string;
  /** The node the pod runs on: its network namespace (the veth's other end goes there). */
  readonly nodeNetns: string;
  /** /etc/resolv.conf, /etc/hosts, /etc/hostname. */
  readonly files: Readonly<Record<string, string>>;
}

export interface ContainerConfig {
  readonly name: string;
  readonly image: string;
  readonly argv: readonly string[];
  readonly env: readonly (readonly [string, string])[];
  readonly tty: boolean;
  /** The container keeps a stdin open for `kubectl attach` (spec.stdin). */
  readonly stdin: boolean;
  /** spec.stdinOnce: the container's stdin closes when the first attached client closes it. */
  readonly stdinOnce: boolean;
  /** Restart attempt (0 first): the log file of each attempt is kept apart (`kubectl logs --previous`). */
  readonly attempt: number;
}

/** A container's main process as the kubelet tracks it. */
export interface ContainerHandle {
  readonly id: string;
  readonly startedAt: number;
  /** Resolves when the main process has exited (also for an adopted one). Never rejects. */
  readonly exit: Promise<ProcessExit>;
  signal(signal: 'SIGTERM' | 'SIGKILL'): void;
}

export interface RunningContainer {
  readonly sandboxId: string;
  readonly name: string;
  readonly attempt: number;
  readonly handle: ContainerHandle;
}

export interface KubeletRuntime {
  /** The image's ENTRYPOINT/CMD, or undefined when the image cannot be pulled (unknown here). */
  image(ref: string): ImageConfig | undefined;
  runSandbox(config: SandboxConfig): Promise<void>;
  /** Kills whatever still runs in the sandbox and removes its namespace, veth and files. Idempotent. */
  removeSandbox(id: string): Promise<void>;
  startContainer(sandbox: SandboxConfig, config: ContainerConfig): Promise<ContainerHandle>;
  /** Sandboxes that exist on this machine for this cluster (after a restart of the apiserver). */
  listSandboxes(): Promise<string[]>;
  /** Containers whose main process still runs (adopted after a restart). */
  listContainers(): Promise<RunningContainer[]>;
  exec(
    sandboxId: string,
    container: string,
    argv: readonly string[],
    options: StartOptions,
  ): Promise<PodProcess>;
  attach(sandboxId: string, container: string, options: StartOptions): Promise<PodProcess>;
  /** The log file of a container attempt (stdout and stderr as the container wrote them). */
  logFile(sandboxId: string, container: string, attempt: number): string;
}
