// A small fake cluster for the service-types checks (node-port-open, load-balancer-ip, external-name,
// service-shape, service-spread via node-port/load-balancer): kubectl `get` answers JSON, client pods are
// created Ready, and a traffic script's URLs are read from the script the check built (quoted words) and
// answered from `answer(source, url, i)`. The scripts themselves are exercised in a real shell by
// fake-cluster.ts; here the subject is each check's reading of the cluster and its verdicts.
import type { CheckContext, HostHttpResult, TargetFacts } from '../../../src/checks/types.ts';
import type { ExecResult } from '../../../src/ssh/types.ts';

export const PODS = ['hostname-deployment-a', 'hostname-deployment-b', 'hostname-deployment-c'] as const;
export const NODES = [
  { name: 'master-node', ip: '192.168.56.10' },
  { name: 'worker-node01', ip: '192.168.56.11' },
  { name: 'worker-node02', ip: '192.168.56.12' },
] as const;

/** `pod` (client pod), `node:<host>` (a node's shell) or `host` (labkit); returns a pod name or null. */
export type Answerer = (source: string, url: string, i: number) => string | null;

export interface TypesCluster {
  services: Record<string, unknown>;
  endpoints: Record<string, unknown>;
  pools?: string[];
  nslookup?: string;
  answer: Answerer;
  facts?: TargetFacts;
  hostHttp?: boolean;
}

export function service(name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}) {
  return { metadata: { name, namespace: 'default' }, spec, status };
}

export function endpoints(
  name: string,
  nodes: readonly string[] = ['worker-node01', 'worker-node02', 'worker-node01'],
) {
  return {
    metadata: { name },
    subsets: [
      {
        addresses: PODS.map((pod, i) => ({
          ip: `172.16.0.${i + 2}`,
          nodeName: nodes[i],
          targetRef: { kind: 'Pod', name: pod },
        })),
        ports: [{ port: 80 }],
      },
    ],
  };
}

/** Every node answers with a rotation over the pods. */
export const healthy: Answerer = (_s, _u, i) => PODS[i % PODS.length] ?? null;

function ok(stdout: string, exitCode = 0, stderr = ''): ExecResult {
  return {
    host: 'master-node',
    command: 'x',
    exitCode,
    signal: null,
    stdout,
    stderr,
    durationMs: 1,
    timedOut: false,
    canceled: false,
  };
}

const page = (pod: string) => `<p>Hello,  ${pod}</p>`;

/** The answers a probe/repeat script would print, from the URLs quoted in it. */
function answerScript(source: string, script: string, answer: Answerer, counter: { n: number }): string {
  const urls = [...script.matchAll(/(http:\/\/[^\s'|]+)/g)].map((m) => m[1] ?? '');
  const loop = /^for i in ([\d ]+);/.exec(script);
  const list = loop
    ? (loop[1] ?? '')
        .trim()
        .split(' ')
        .map(() => urls[0] ?? '')
    : urls;
  return list
    .map((url, i) => {
      const pod = answer(source, url, counter.n++);
      return `labkit-answer ${i} ${pod === null ? '' : page(pod)}`;
    })
    .join('\n');
}

export function typesContext(cluster: TypesCluster) {
  const calls: string[][] = [];
  const hostUrls: string[] = [];
  const clients: string[] = [];
  const counter = { n: 0 };
  const get = (kind: string, name: string | undefined): ExecResult => {
    if (kind === 'nodes')
      return ok(
        JSON.stringify({
          items: NODES.map((n) => ({
            metadata: { name: n.name },
            status: {
              addresses: [
                { type: 'InternalIP', address: n.ip },
                { type: 'Hostname', address: n.name },
              ],
            },
          })),
        }),
      );
    if (kind === 'ipaddresspools.metallb.io')
      return cluster.pools
        ? ok(JSON.stringify({ items: [{ spec: { addresses: cluster.pools } }] }))
        : ok('', 1, 'error: the server doesn\'t have a resource type "ipaddresspools"');
    if (kind === 'pod')
      return ok(
        JSON.stringify({
          metadata: { name },
          status: { phase: 'Running', podIP: '172.16.9.9', conditions: [{ type: 'Ready', status: 'True' }] },
        }),
      );
    const table = kind === 'service' ? cluster.services : kind === 'endpoints' ? cluster.endpoints : {};
    const obj = table[name ?? ''];
    return obj
      ? ok(JSON.stringify(obj))
      : ok('', 1, `Error from server (NotFound): ${kind} "${name}" not found`);
  };
  const ctx: CheckContext = {
    controlPlane: 'master-node',
    namespace: 'default',
    commandTimeoutMs: 5_000,
    memory: { get: () => undefined, set: () => undefined },
    onCleanup: () => undefined,
    exec: (host, command) => {
      calls.push([`exec@${host}`, 'script' in command ? command.script : command.argv.join(' ')]);
      const script = 'script' in command ? command.script : '';
      return Promise.resolve(ok(answerScript(`node:${host}`, script, cluster.answer, counter)));
    },
    kubectl: (args) => {
      const argv = [...args];
      calls.push(argv);
      const [verb, kind, name] = argv;
      if (verb === 'get') return Promise.resolve(get(kind ?? '', name));
      // `kubectl wait --for=condition=Ready pod/NAME -o json`: every client pod here is Ready at once.
      if (verb === 'wait')
        return Promise.resolve(get('pod', argv.find((a) => a.startsWith('pod/'))?.slice(4)));
      if (verb === 'run') {
        clients.push(kind ?? '');
        return Promise.resolve(ok(`pod/${kind} created`));
      }
      if (verb === 'exec') {
        const script = argv[argv.length - 1] ?? '';
        if (script.startsWith('nslookup')) return Promise.resolve(ok(cluster.nslookup ?? ''));
        return Promise.resolve(ok(answerScript('pod', script, cluster.answer, counter)));
      }
      return Promise.resolve(ok(''));
    },
    ...(cluster.hostHttp === false
      ? {}
      : {
          hostHttp: (url: string): Promise<HostHttpResult> => {
            hostUrls.push(url);
            const pod = cluster.answer('host', url, counter.n++);
            return Promise.resolve(
              pod === null
                ? { ok: false, error: 'ECONNREFUSED' }
                : { ok: true, status: 200, body: page(pod) },
            );
          },
        }),
    ...(cluster.facts ? { facts: cluster.facts } : {}),
  };
  return { ctx, calls, hostUrls, clients };
}
