// A simulated cluster for tests, in this process: its apiserver (src/sim/apiserver) on 127.0.0.1 with a
// fresh PKI, and the official kubectl (the pinned binary, cached in node_modules/.cache) run against it.
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminKubeconfig } from '../../src/sim/apiserver/kubeconfig.ts';
import { installKubectl, KUBECTL_VERSION } from '../../src/sim/apiserver/kubectl-binary.ts';
import { listenApiServer, type RunningApiServer } from '../../src/sim/apiserver/listen.ts';
import { createClusterPki, readPki, type PkiFiles } from '../../src/sim/apiserver/pki.ts';
import type { ClusterState } from '../../src/sim/model/state.ts';
import { writeStateFile } from '../../src/sim/store.ts';
import type { ExecResult } from '../../src/ssh/types.ts';

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

export interface SimCluster {
  readonly server: RunningApiServer;
  readonly kubeconfig: string;
  readonly stateFile: string;
  kubectl(args: readonly string[], stdin?: string): Promise<ExecResult>;
  close(): Promise<void>;
}

let counter = 0;

export async function startSimCluster(
  pki: SimPki,
  state: ClusterState,
  options: { now?: () => number; port?: number; stateFile?: string } = {},
): Promise<SimCluster> {
  const name = `cluster-${process.pid}-${++counter}`;
  const stateFile = options.stateFile ?? join(pki.dir, `${name}.json`);
  await writeStateFile(stateFile, state);
  const server = await listenApiServer({
    stateFile,
    pkiDir: pki.files.dir,
    address: '127.0.0.1',
    port: options.port ?? 0,
    ...(options.now ? { now: options.now } : {}),
  });
  const kubeconfig = join(pki.dir, `${name}.conf`);
  await writeFile(kubeconfig, adminKubeconfig(`https://127.0.0.1:${server.port}`, await readPki(pki.files)));
  const binary = await testKubectl();
  return {
    server,
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
