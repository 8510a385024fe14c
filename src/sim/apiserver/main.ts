// The simulated kube-apiserver process: one per cluster, in the master host's network namespace, HTTPS
// on <address>:6443. Usage: main.ts --state <state.json> --pki <dir> --address <ip> --nodes <nodes.json>
//   --images <dir> [--port 6443] [--pods <dir>] [--kubeconfig <admin.conf>]
// The nodes' kubelet runs the pods as real processes (src/sim/kubelet; images built in --images, pod
// directories under --pods, default <state dir>/pods) and kube-proxy writes their rules. It saves the cluster state on
// SIGTERM/SIGINT and exits; the pods keep running (the next process adopts them).
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { readNodeHosts, type NodeHosts } from '../kubelet/nodes.ts';
import { RuntimeAdapter } from '../kubelet/runtime-adapter.ts';
import type { KubeletRuntime } from '../kubelet/runtime-port.ts';
import { readStateFile } from '../store.ts';
import { apiserverClusterFiles } from './install.ts';
import { listenApiServer } from './listen.ts';

async function kubeletOptions(
  nodesFile: string,
  values: { state?: string; images?: string; pods?: string; kubeconfig?: string },
): Promise<{ hosts: NodeHosts; runtime: KubeletRuntime; proxy: boolean }> {
  if (!values.images || !values.state) throw new Error('--nodes needs --images <dir> and --state');
  const hosts = await readNodeHosts(nodesFile);
  const dir = dirname(resolve(values.state));
  const state = await readStateFile(values.state);
  const runtime = new RuntimeAdapter({
    cluster: hosts.cluster,
    imagesDir: values.images,
    podsDir: values.pods ?? join(dir, 'pods'),
    kubeconfig: values.kubeconfig ?? apiserverClusterFiles(dir).kubeconfig,
    dnsIp: state.cluster.dnsIP,
  });
  return { hosts, runtime, proxy: true };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      state: { type: 'string' },
      pki: { type: 'string' },
      address: { type: 'string' },
      port: { type: 'string', default: '6443' },
      nodes: { type: 'string' },
      images: { type: 'string' },
      pods: { type: 'string' },
      kubeconfig: { type: 'string' },
    },
  });
  if (!values.state || !values.pki || !values.address || !values.nodes)
    throw new Error(
      'usage: main.ts --state <state.json> --pki <dir> --address <ip> --nodes <nodes.json> --images <dir> [--port 6443]',
    );
  const kubelet = await kubeletOptions(values.nodes, values);
  const running = await listenApiServer({
    stateFile: values.state,
    pkiDir: values.pki,
    address: values.address,
    port: Number(values.port),
    kubelet,
  });
  process.stdout.write(
    `apiserver: listening on https://${values.address}:${running.port} (state ${values.state})\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`apiserver: saving the state failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`apiserver: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
