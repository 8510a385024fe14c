// The simulated kube-apiserver process: one per cluster, in the master host's network namespace, HTTPS
// on <address>:6443. Usage: main.ts --state <state.json> --pki <dir> --address <ip> [--port 6443]
// It saves the cluster state on SIGTERM/SIGINT and exits.
import { parseArgs } from 'node:util';
import { listenApiServer } from './listen.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      state: { type: 'string' },
      pki: { type: 'string' },
      address: { type: 'string' },
      port: { type: 'string', default: '6443' },
    },
  });
  if (!values.state || !values.pki || !values.address)
    throw new Error('usage: main.ts --state <state.json> --pki <dir> --address <ip> [--port 6443]');
  const running = await listenApiServer({
    stateFile: values.state,
    pkiDir: values.pki,
    address: values.address,
    port: Number(values.port),
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
