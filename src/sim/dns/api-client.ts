// HTTPS to the (simulated) kube-apiserver with a client certificate: one GET of JSON, and a watch read as
// newline-delimited JSON events. Keep-alive, so the fault poll and relists reuse one connection.
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { ApiCredentials } from './kubeconfig.ts';

const REQUEST_TIMEOUT_MS = 10_000;

export interface ApiClient {
  getJson(path: string): Promise<unknown>;
  /** Calls `onEvent` per line of the watch until the server ends it (resolves) or it fails (rejects). */
  watch(path: string, onEvent: (event: unknown) => void, signal: AbortSignal): Promise<void>;
  close(): void;
}

export function createApiClient(creds: ApiCredentials): ApiClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const base = {
    host: creds.server.hostname.replace(/^\[|\]$/g, ''),
    port: Number(creds.server.port || 443),
    ca: creds.ca,
    cert: creds.cert,
    key: creds.key,
    // The serving certificate always has DNS:kubernetes (kubeadm's SANs); an IP is no SNI name.
    servername: 'kubernetes',
    agent,
  };
  const where = `${creds.server.host}`;

  function open(path: string, signal?: AbortSignal, timeout = REQUEST_TIMEOUT_MS): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({ ...base, path, method: 'GET', headers: { Accept: 'application/json' }, timeout });
      const abort = (): void => void req.destroy(new Error('stopped'));
      signal?.addEventListener('abort', abort, { once: true });
      req.on('timeout', () => req.destroy(new Error(`${where}${path}: no answer in ${timeout / 1000} s`)));
      req.on('error', reject);
      req.on('response', (res) => {
        if (res.statusCode === 200) return resolve(res);
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          reject(new Error(`${where}${path}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`)),
        );
      });
      req.end();
    });
  }

  return {
    async getJson(path) {
      const res = await open(path);
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    },
    async watch(path, onEvent, signal) {
      // A watch is quiet for long stretches: no request timeout, the server's timeoutSeconds ends it.
      const res = await open(path, signal, 0);
      res.socket.setKeepAlive(true, 10_000);
      let pending = '';
      await new Promise<void>((resolve, reject) => {
        res.on('data', (chunk: Buffer) => {
          pending += chunk.toString('utf8');
          let nl: number;
          while ((nl = pending.indexOf('\n')) >= 0) {
            const line = pending.slice(0, nl).trim();
            pending = pending.slice(nl + 1);
            if (line) onEvent(JSON.parse(line) as unknown);
          }
        });
        res.on('end', resolve);
        res.on('error', reject);
        res.on('aborted', () => reject(new Error(`${where}${path}: the watch was cut`)));
        res.on('close', () =>
          res.complete ? resolve() : reject(new Error(`${where}${path}: the watch was cut`)),
        );
      });
    },
    close() {
      agent.destroy();
    },
  };
}
