// The cluster DNS process (the container of the coredns pods): serves DNS on UDP and TCP from what it
// watches on the apiserver. Usage:
//   main.ts --kubeconfig <admin.conf> [--address 0.0.0.0] [--port 53] [--domain cluster.local]
//           [--fault-retry-ms 500] [--health-port 8080] [--ready-port 8181]
// (a port of 0 turns that probe endpoint off)
// Run in the pod's network namespace; logs to stdout; exits on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { createApiClient } from './api-client.ts';
import { DEFAULT_ANSWER_OPTIONS } from './answer.ts';
import { startBanner } from './banner.ts';
import { watchCluster } from './cluster-source.ts';
import { watchDnsFault } from './faults.ts';
import { listenProbes } from './health.ts';
import { readKubeconfig } from './kubeconfig.ts';
import { listenDns } from './server.ts';

const USAGE =
  'usage: main.ts --kubeconfig <admin.conf> [--address 0.0.0.0] [--port 53] [--domain cluster.local] [--fault-retry-ms 500] [--health-port 8080] [--ready-port 8181]';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      address: { type: 'string', default: '0.0.0.0' },
      port: { type: 'string', default: '53' },
      domain: { type: 'string', default: DEFAULT_ANSWER_OPTIONS.domain },
      'fault-retry-ms': { type: 'string', default: '500' },
      'health-port': { type: 'string', default: '8080' },
      'ready-port': { type: 'string', default: '8181' },
    },
  });
  const port = Number(values.port);
  const retryMs = Number(values['fault-retry-ms']);
  const healthPort = Number(values['health-port']);
  const readyPort = Number(values['ready-port']);
  if (!values.kubeconfig || ![port, healthPort, readyPort].every(Number.isInteger) || !(retryMs > 0))
    throw new Error(USAGE);
  const client = createApiClient(await readKubeconfig(values.kubeconfig));
  const cluster = watchCluster({ client, log });
  const fault = watchDnsFault(client, retryMs);
  const server = await listenDns({
    ...DEFAULT_ANSWER_OPTIONS,
    domain: values.domain,
    address: values.address,
    port,
    view: cluster.view,
    silent: fault.broken,
    log,
  });
  const probes = await listenProbes({
    address: values.address,
    healthPort,
    readyPort,
    ready: () => cluster.view().synced,
  });
  for (const line of startBanner(values.domain, server.port)) log(line);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // CoreDNS's health plugin: "lameduck 5s" delays the exit; the simulator exits at once.
    log('[INFO] SIGTERM: Shutting down servers then terminating');
    fault.stop();
    void Promise.all([server.close(), probes.close(), cluster.stop()]).finally(() => {
      client.close();
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`coredns: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
