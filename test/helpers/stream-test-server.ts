// A small HTTP server on loopback that the real kubectl can exec into, attach to and `run -it` against:
// just enough of the core/v1 API (discovery, pods: get, list, watch, create, delete) around the stream
// handler under test. The real server is src/sim/apiserver; this one exists so the streams are proven
// against the real client without it.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  failureStatus,
  handleStreamUpgrade,
  rejectStreamUpgrade,
  shellRuntime,
  streamRequestOrReject,
  type PodProcess,
  type StreamTarget,
} from '../../src/sim/apiserver/streams/index.ts';
import { podFiles, type PodContext } from '../../src/sim/shell/pod-context.ts';

const ContainerJson = z.object({
  name: z.string(),
  image: z.string(),
  args: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  stdin: z.boolean().optional(),
  tty: z.boolean().optional(),
});
const PodJson = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }).passthrough(),
  spec: z.object({ containers: z.array(ContainerJson).min(1) }).passthrough(),
});
type Container = z.infer<typeof ContainerJson>;

interface FakePod {
  name: string;
  containers: Container[];
  phase: 'Running' | 'Succeeded' | 'Failed';
  exitCode?: number;
  resourceVersion: number;
  /** The main process of a container started with stdin (what `kubectl run -i` attaches to). */
  main?: PodProcess;
}

export function testPodContext(name: string): PodContext {
  const ip = '172.16.0.9';
  return {
    name,
    namespace: 'default',
    ip,
    mac: '02:00:00:00:00:09',
    peerIndex: 20,
    env: [['KUBERNETES_SERVICE_HOST', '172.17.0.1']],
    files: podFiles(name, 'default', ip, '172.17.0.10'),
    dnsServer: '172.17.0.10',
    net: { connect: async (host) => ({ kind: 'refused', ip: host }), lookup: async () => undefined },
    wait: () => Promise.resolve(),
  };
}

export interface StreamTestServer {
  readonly url: string;
  readonly server: Server;
  /** Adds a Running pod with one busybox container. */
  addPod(name: string): void;
  pod(name: string): FakePod | undefined;
  close(): Promise<void>;
}

export async function startStreamTestServer(): Promise<StreamTestServer> {
  const pods = new Map<string, FakePod>();
  const changes = new EventEmitter();
  let version = 1;
  const podJson = (p: FakePod): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: 'default',
      uid: `uid-${p.name}`,
      resourceVersion: String(p.resourceVersion),
    },
    spec: { containers: p.containers, restartPolicy: 'Never' },
    status: {
      phase: p.phase,
      conditions: [{ type: 'Ready', status: p.phase === 'Running' ? 'True' : 'False' }],
      containerStatuses: p.containers.map((c) => ({
        name: c.name,
        ready: p.phase === 'Running',
        state:
          p.phase === 'Running'
            ? { running: { startedAt: '2026-01-01T00:00:00Z' } }
            : { terminated: { exitCode: p.exitCode ?? 0, reason: p.exitCode ? 'Error' : 'Completed' } },
      })),
    },
  });
  const touch = (p: FakePod, type: 'ADDED' | 'MODIFIED' | 'DELETED'): void => {
    p.resourceVersion = ++version;
    changes.emit('change', { type, object: podJson(p) });
  };
  const addPod = (
    name: string,
    containers: Container[] = [{ name, image: 'docker.io/busybox' }],
  ): FakePod => {
    const pod: FakePod = { name, containers, phase: 'Running', resourceVersion: ++version };
    pods.set(name, pod);
    const main = containers[0];
    if (main?.stdin) void startMain(pod, main);
    return pod;
  };
  const startMain = async (pod: FakePod, c: Container): Promise<void> => {
    const argv = [...(c.command ?? []), ...(c.args ?? [])];
    pod.main = await shellRuntime(testPodContext(pod.name)).start(argv.length ? argv : ['sh'], {
      tty: c.tty ?? false,
      stdin: true,
    });
    const exit = await pod.main.exit;
    pod.phase = exit.code === 0 ? 'Succeeded' : 'Failed';
    pod.exitCode = exit.code;
    touch(pod, 'MODIFIED');
  };

  const send = (res: ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const notFound = (name: string) => failureStatus(404, 'NotFound', `pods "${name}" not found`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (path === '/api')
      return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1')
      return send(res, 200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          {
            name: 'pods',
            singularName: 'pod',
            namespaced: true,
            kind: 'Pod',
            verbs: ['create', 'delete', 'get', 'list', 'watch'],
            shortNames: ['po'],
          },
          {
            name: 'pods/attach',
            singularName: '',
            namespaced: true,
            kind: 'PodAttachOptions',
            verbs: ['create', 'get'],
          },
          {
            name: 'pods/exec',
            singularName: '',
            namespaced: true,
            kind: 'PodExecOptions',
            verbs: ['create', 'get'],
          },
        ],
      });
    if (path === '/api/v1/namespaces/default/pods' && req.method === 'POST') {
      const body = PodJson.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (pods.has(body.metadata.name))
        return send(
          res,
          409,
          failureStatus(409, 'AlreadyExists', `pods "${body.metadata.name}" already exists`),
        );
      return send(res, 201, podJson(addPod(body.metadata.name, body.spec.containers)));
    }
    if (path === '/api/v1/namespaces/default/pods' && req.method === 'GET') {
      const only = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      const items = [...pods.values()].filter((p) => !only || p.name === only);
      if (url.searchParams.get('watch') !== 'true')
        return send(res, 200, {
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: { resourceVersion: String(version) },
          items: items.map(podJson),
        });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      const onChange = (event: { object: { metadata: { name: string } } }): void => {
        if (!only || event.object.metadata.name === only) res.write(`${JSON.stringify(event)}\n`);
      };
      changes.on('change', onChange);
      req.socket.once('close', () => changes.off('change', onChange));
      return;
    }
    const one = /^\/api\/v1\/namespaces\/default\/pods\/([^/]+)$/.exec(path)?.[1];
    if (one !== undefined) {
      const pod = pods.get(one);
      if (!pod) return send(res, 404, notFound(one));
      if (req.method === 'DELETE') {
        pods.delete(one);
        pod.main?.kill();
        touch(pod, 'DELETED');
      }
      return send(res, 200, podJson(pod));
    }
    send(res, 404, failureStatus(404, 'NotFound', 'the server could not find the requested resource'));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, failureStatus(500, 'InternalError', String(error))),
    );
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const request = streamRequestOrReject(req, socket);
    if (!request) return;
    const pod = pods.get(request.pod);
    if (!pod) return rejectStreamUpgrade(socket, notFound(request.pod));
    const main = pod.main;
    const target: StreamTarget =
      request.kind === 'exec'
        ? {
            request,
            ownsProcess: true,
            open: () =>
              shellRuntime(testPodContext(pod.name)).start(request.command, {
                tty: request.tty,
                stdin: request.stdin,
              }),
          }
        : {
            request,
            ownsProcess: false,
            open: () =>
              main ? Promise.resolve(main) : Promise.reject(new Error('container not started with stdin')),
          };
    handleStreamUpgrade(req, socket, head, target);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    addPod: (name) => void addPod(name),
    pod: (name) => pods.get(name),
    close: () =>
      new Promise((resolve) => {
        for (const p of pods.values()) p.main?.kill();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
