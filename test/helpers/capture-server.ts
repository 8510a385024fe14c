// A loopback HTTP server that records what a client POSTs (content type and body) and answers with `reply`
// (201 and the JSON it returns, or a Status). Discovery is answered for core/v1, apps/v1 and batch/v1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly accept: string;
  readonly body: Buffer;
}

export type Reply = (request: CapturedRequest) => { status: number; body: unknown };

const resources = (groupVersion: string, kinds: [string, string, boolean][]) => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion,
  resources: kinds.map(([name, kind, namespaced]) => ({
    name,
    singularName: kind.toLowerCase(),
    namespaced,
    kind,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  })),
});

const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['apps', 'batch'].map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': resources('v1', [
    ['configmaps', 'ConfigMap', true],
    ['namespaces', 'Namespace', false],
    ['pods', 'Pod', true],
    ['secrets', 'Secret', true],
    ['serviceaccounts', 'ServiceAccount', true],
    ['services', 'Service', true],
  ]),
  '/apis/apps/v1': resources('apps/v1', [['deployments', 'Deployment', true]]),
  '/apis/batch/v1': resources('batch/v1', [['jobs', 'Job', true]]),
};

export async function startCaptureServer(reply: Reply) {
  const captured: CapturedRequest[] = [];
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'GET' && DISCOVERY[path]) return send(res, 200, DISCOVERY[path]);
      const request: CapturedRequest = {
        method: req.method ?? '',
        path,
        contentType: req.headers['content-type'] ?? '',
        accept: req.headers.accept ?? '',
        body: Buffer.concat(chunks),
      };
      captured.push(request);
      const answer = reply(request);
      send(res, answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    captured,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
