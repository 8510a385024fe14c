// CoreDNS's `health` (:8080/health) and `ready` (:8181/ready) plugins, which the coredns Deployment's
// liveness and readiness probes ask: health says OK while the process runs, ready only once the
// kubernetes plugin has synced with the API (CoreDNS answers 503 before).
import { createServer, type Server } from 'node:http';

export interface ProbeServers {
  close(): Promise<void>;
}

async function listen(server: Server, port: number, address: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function listenProbes(options: {
  readonly address: string;
  readonly healthPort: number;
  readonly readyPort: number;
  readonly ready: () => boolean;
}): Promise<ProbeServers> {
  const health = createServer((req, res) => {
    const ok = req.url === '/health';
    res
      .writeHead(ok ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(ok ? 'OK' : '404 page not found\n');
  });
  const ready = createServer((req, res) => {
    if (req.url !== '/ready') return void res.writeHead(404).end('404 page not found\n');
    const isReady = options.ready();
    res
      .writeHead(isReady ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end(isReady ? 'OK' : 'kubernetes');
  });
  const servers: Server[] = [];
  if (options.healthPort > 0) {
    await listen(health, options.healthPort, options.address);
    servers.push(health);
  }
  if (options.readyPort > 0) {
    await listen(ready, options.readyPort, options.address);
    servers.push(ready);
  }
  return {
    async close() {
      await Promise.all(
        servers.map(
          (s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve()))),
        ),
      );
    },
  };
}
