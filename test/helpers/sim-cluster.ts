// A simulated cluster for tests, in this process: its apiserver (src/sim/apiserver) on 127.0.0.1 with a
// fresh PKI, and the official kubectl (the pinned binary, cached in node_modules/.cache) run against it.
// Its kubelet runs the pods in the in-memory FakeRuntime (no processes, no packets: exec, attach and
// traffic are tested on the testbed, test/e2e/sim/pods.test.ts); a test ends containers with exit().
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminKubeconfig } from '../../src/sim/apiserver/kubeconfig.ts';
import { installKubectl, KUBECTL_VERSION } from '../../src/sim/apiserver/kubectl-binary.ts';
import {
  listenApiServer,
  type ListenOptions,
  type RunningApiServer,
} from '../../src/sim/apiserver/listen.ts';
import { createClusterPki, readPki, type PkiFiles } from '../../src/sim/apiserver/pki.ts';
import { Kubelet, type KubeletHost } from '../../src/sim/kubelet/kubelet.ts';
import { reconcile } from '../../src/sim/model/controller.ts';
import type { ClusterState } from '../../src/sim/model/state.ts';
import { writeStateFile } from '../../src/sim/store.ts';
import type { ExecResult } from '../../src/ssh/types.ts';
import { FakeRuntime } from './fake-runtime.ts';

const REPO = join(import.meta.dirname, '..', '..');

/** The pinned kubectl, extracted once per checkout. */
export function testKubectl(): Promise<string> {
  return installKubectl(join(REPO, 'node_modules', '.cache', 'labkit', `kubectl-${KUBECTL_VERSION}`));
}

/** A directory with a cluster PKI, shared by the clusters of one test file (key generation takes ~1 s). */
export interface SimPki {
  readonly dir: string;
  readonly files: PkiFiles;
  remove(): Promise<void>;
}

export async function createSimPki(): Promise<SimPki> {
  const dir = await mkdtemp(join(tmpdir(), 'labkit-sim-'));
  const files = await createClusterPki(join(dir, 'pki'), { ips: ['127.0.0.1'], hostname: 'master-node' });
  return { dir, files, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The kubelet option of listenApiServer for an in-process cluster: the state's nodes, `runtime` in memory. */
export function fakeKubelet(state: ClusterState, runtime: FakeRuntime): ListenOptions['kubelet'] {
  return {
    hosts: {
      cluster: 1,
      nodes: state.nodes.map((n) => ({
        name: n.metadata.name,
        netns: `fake-${n.metadata.name}`,
        address: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1',
        interface: 'eth1',
      })),
    },
    runtime,
  };
}

/** The nodes' kubelet for the model's unit tests: the real Kubelet (src/sim/kubelet) on FakeRuntime, on the
 *  test's clock. `settle(now)` reconciles at `now` and lets the kubelet act until it is idle (image pulls
 *  take `imagePullDelayMs` of real time: the tests set 0). */
export class TestKubelet implements KubeletHost {
  readonly runtime: FakeRuntime;
  readonly kubelet: Kubelet;
  private clock: number;

  private constructor(
    readonly state: ClusterState,
    now: number,
  ) {
    this.clock = now;
    this.runtime = new FakeRuntime(undefined, () => this.clock);
    const { hosts } = fakeKubelet(state, this.runtime);
    this.kubelet = new Kubelet(this, { cluster: hosts.cluster, nodes: hosts.nodes, runtime: this.runtime });
  }

  static async start(state: ClusterState, now: number): Promise<TestKubelet> {
    const host = new TestKubelet(state, now);
    await host.kubelet.start();
    await host.settle(now);
    return host;
  }

  now(): number {
    return this.clock;
  }

  mutate(change: (state: ClusterState, now: number) => void): void {
    change(this.state, this.clock);
    reconcile(this.state, this.clock);
    this.kubelet.sync();
  }

  async settle(now: number): Promise<void> {
    this.clock = now;
    this.mutate(() => undefined);
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    reconcile(this.state, this.clock);
  }
}

export interface SimCluster {
  readonly server: RunningApiServer;
  readonly runtime: FakeRuntime;
  readonly kubeconfig: string;
  readonly stateFile: string;
  kubectl(args: readonly string[], stdin?: string): Promise<ExecResult>;
  close(): Promise<void>;
}

let counter = 0;

export async function startSimCluster(
  pki: SimPki,
  state: ClusterState,
  options: { now?: () => number; port?: number; stateFile?: string; runtime?: FakeRuntime } = {},
): Promise<SimCluster> {
  const runtime = options.runtime ?? new FakeRuntime();
  const name = `cluster-${process.pid}-${++counter}`;
  const stateFile = options.stateFile ?? join(pki.dir, `${name}.json`);
  await writeStateFile(stateFile, state);
  const server = await listenApiServer({
    stateFile,
    pkiDir: pki.files.dir,
    address: '127.0.0.1',
    port: options.port ?? 0,
    kubelet: fakeKubelet(state, runtime),
    ...(options.now ? { now: options.now } : {}),
  });
  const kubeconfig = join(pki.dir, `${name}.conf`);
  await writeFile(kubeconfig, adminKubeconfig(`https://127.0.0.1:${server.port}`, await readPki(pki.files)));
  const binary = await testKubectl();
  return {
    server,
    runtime,
    kubeconfig,
    stateFile,
    kubectl: async (args, stdin) => {
      const started = Date.now();
      const r = await execa(binary, args, {
        env: { KUBECONFIG: kubeconfig, HOME: pki.dir },
        reject: false,
        timeout: 60_000,
        input: stdin ?? '',
        // As over SSH: the output exactly as kubectl wrote it.
        stripFinalNewline: false,
      });
      return {
        host: 'master-node',
        command: `kubectl ${args.join(' ')}`,
        exitCode: r.exitCode ?? null,
        signal: null,
        stdout: r.stdout,
        stderr: r.stderr,
        durationMs: Date.now() - started,
        timedOut: r.timedOut,
        canceled: false,
      };
    },
    close: () => server.close(),
  };
}
