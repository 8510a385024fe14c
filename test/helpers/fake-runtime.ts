// An in-memory container runtime for the kubelet's unit tests: containers are records whose exit the test
// decides (exit(code)), signals are recorded, and a SIGKILL ends a container at once.
import type { PodProcess, ProcessExit } from '../../src/sim/apiserver/streams/types.ts';
import type { ImageConfig } from '../../src/sim/kubelet/command.ts';
import type {
  ContainerConfig,
  ContainerHandle,
  KubeletRuntime,
  RunningContainer,
  SandboxConfig,
} from '../../src/sim/kubelet/runtime-port.ts';

export interface FakeContainer {
  readonly sandboxId: string;
  readonly config: ContainerConfig;
  readonly handle: ContainerHandle;
  readonly signals: string[];
  exit(code: number, signal?: NodeJS.Signals): void;
  exited: boolean;
}

export class FakeRuntime implements KubeletRuntime {
  readonly sandboxes = new Map<string, SandboxConfig>();
  readonly containers: FakeContainer[] = [];
  readonly removed: string[] = [];
  /** SIGTERM ends a container with 143 unless false (a PID 1 without a handler ignores it). */
  honoursSigterm = true;
  private next = 0;

  constructor(
    private readonly images: Record<string, ImageConfig> = {
      'docker.io/busybox': { entrypoint: [], cmd: ['sh'] },
      'docker.io/busybox:1.37': { entrypoint: [], cmd: ['sh'] },
      'docker.io/alicek106/rr-test:echo-hostname': { entrypoint: ['/echo-hostname'], cmd: [] },
      'registry.k8s.io/coredns/coredns:v1.10.1': { entrypoint: ['/coredns'], cmd: [] },
      // The rollout tests' second template (kubectl set image, create deployment --image=nginx).
      nginx: { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] },
      'nginx:1.27': { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] },
    },
    /** When containers start (the tests' clock). */
    private readonly clock: () => number = Date.now,
  ) {}

  image(ref: string): ImageConfig | undefined {
    return this.images[ref];
  }

  runSandbox(config: SandboxConfig): Promise<void> {
    this.sandboxes.set(config.id, config);
    return Promise.resolve();
  }

  removeSandbox(id: string): Promise<void> {
    if (this.sandboxes.delete(id)) this.removed.push(id);
    for (const c of this.containers) if (c.sandboxId === id && !c.exited) c.exit(137, 'SIGKILL');
    return Promise.resolve();
  }

  startContainer(sandbox: SandboxConfig, config: ContainerConfig): Promise<ContainerHandle> {
    let settle: (exit: ProcessExit) => void = () => undefined;
    const exit = new Promise<ProcessExit>((r) => (settle = r));
    const signals: string[] = [];
    const record: FakeContainer = {
      sandboxId: sandbox.id,
      config,
      signals,
      exited: false,
      exit: (code, signal) => {
        if (record.exited) return;
        record.exited = true;
        settle(signal ? { code, signal } : { code });
      },
      handle: {
        id: `c${++this.next}`,
        startedAt: this.clock(),
        exit,
        signal: (s) => {
          signals.push(s);
          if (s === 'SIGKILL') record.exit(137, 'SIGKILL');
          else if (this.honoursSigterm) record.exit(143, 'SIGTERM');
        },
      },
    };
    this.containers.push(record);
    return Promise.resolve(record.handle);
  }

  listSandboxes(): Promise<string[]> {
    return Promise.resolve([...this.sandboxes.keys()]);
  }

  listContainers(): Promise<RunningContainer[]> {
    return Promise.resolve(
      this.containers
        .filter((c) => !c.exited)
        .map((c) => ({
          sandboxId: c.sandboxId,
          name: c.config.name,
          attempt: c.config.attempt,
          handle: c.handle,
        })),
    );
  }

  exec(): Promise<PodProcess> {
    return Promise.reject(new Error('not in the fake runtime'));
  }

  attach(): Promise<PodProcess> {
    return Promise.reject(new Error('not in the fake runtime'));
  }

  logFile(sandboxId: string, container: string, attempt: number): string {
    return `/fake/${sandboxId}/${container}/${attempt}.log`;
  }

  /** The live containers of a pod sandbox. */
  live(sandboxId: string): FakeContainer[] {
    return this.containers.filter((c) => c.sandboxId === sandboxId && !c.exited);
  }
}
