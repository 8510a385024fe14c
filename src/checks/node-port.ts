// Seed: NodePort "opens the same port on every node of the cluster" (파드에 접근할 수 있는 포트를 클러스터의 모든
// 노드에 동일하게 개방). The Service's nodePort is in the apiserver's range (30000-32767; the fixed one when the
// manifest names it), and every node's InternalIP:nodePort answers with an endpoint pod's page — not only the
// nodes running a pod (kube-proxy forwards on each node) — from a client pod, from a node's own shell and from
// the machine running labkit, as a student's browser would.
import { t } from '../i18n/index.ts';
import { nodePortOpenParams } from './check-params.ts';
import { probeFromSharedClient } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { greetedName, nodeProbeScript, parseAnswers, urlFor, WGET_TIMEOUT_S } from './http-script.ts';
import { nodeAddresses, type NodeAddress } from './nodes.ts';
import { readServiceTarget } from './service-target.ts';
import type { CheckContext } from './types.ts';

export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;

export interface NodePortRow {
  readonly from: 'pod' | 'node' | 'host';
  readonly node: string;
  readonly url: string;
  /** The pod whose page came back, null for no answer, undefined when that source was not tried. */
  readonly answeredBy: string | null | undefined;
}

/** The nodePort of `port`, checked against the range and the fixed value; fails naming what is wrong. */
export function nodePortOf(
  service: {
    metadata: { name: string };
    spec: {
      type?: string | undefined;
      ports?: readonly { port: number; nodePort?: number | undefined }[] | undefined;
    };
  },
  port: number,
  fixed: number | undefined,
): number {
  const say = t().serviceTypes;
  const name = service.metadata.name;
  const type = service.spec.type ?? 'ClusterIP';
  if (type !== 'NodePort' && type !== 'LoadBalancer')
    fail({
      message: say.notNodePortType(name, type),
      expected: say.typeNodePort,
      actual: type,
      progress: 'settled',
    });
  const nodePort = service.spec.ports?.find((p) => p.port === port)?.nodePort;
  const expected = fixed === undefined ? say.nodePortInRange : say.nodePortFixed(fixed);
  if (nodePort === undefined)
    fail({ message: say.noNodePort(name, port), expected, actual: say.none, progress: 'settled' });
  if (nodePort < NODE_PORT_RANGE.first || nodePort > NODE_PORT_RANGE.last)
    fail({
      message: say.outOfRange(name, nodePort),
      expected,
      actual: String(nodePort),
      progress: 'settled',
    });
  if (fixed !== undefined && nodePort !== fixed)
    fail({
      message: say.wrongNodePort(name, nodePort, fixed),
      expected,
      actual: String(nodePort),
      progress: 'settled',
    });
  return nodePort;
}

async function fromNodeShell(
  ctx: CheckContext,
  host: string,
  nodes: readonly NodeAddress[],
  urls: readonly string[],
): Promise<NodePortRow[]> {
  const result = await ctx.exec(
    host,
    { script: nodeProbeScript(urls) },
    {
      timeoutMs: Math.max(ctx.commandTimeoutMs, urls.length * WGET_TIMEOUT_S * 1000 + 10_000),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    },
  );
  const answers = parseAnswers(result.stdout);
  return nodes.map((n, i) => ({
    from: 'node',
    node: n.node,
    url: urls[i] ?? '',
    answeredBy: answers.get(i)?.name ?? null,
  }));
}

async function fromHost(
  ctx: CheckContext,
  nodes: readonly NodeAddress[],
  urls: readonly string[],
): Promise<NodePortRow[]> {
  const get = ctx.hostHttp;
  return Promise.all(
    nodes.map(async (n, i) => {
      const url = urls[i] ?? '';
      if (!get) return { from: 'host' as const, node: n.node, url, answeredBy: undefined };
      const reply = await get(url, {
        timeoutMs: WGET_TIMEOUT_S * 1000,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      return {
        from: 'host' as const,
        node: n.node,
        url,
        answeredBy: reply.ok ? (greetedName(reply.body) ?? null) : null,
      };
    }),
  );
}

export const nodePortOpen = defineCheck({
  name: 'node-port-open',
  description: () => t().serviceTypes.describe.nodePortOpen,
  params: nodePortOpenParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const target = await readServiceTarget(ctx, p.service, namespace, p.port);
    const nodePort = nodePortOf(target.service, p.port, p.nodePort);
    const nodes = await nodeAddresses(ctx);
    const urls = nodes.map((n) => urlFor(n.ip, nodePort));
    const sources = [...new Set(p.from)];
    const rows: NodePortRow[] = [];
    let client: string | undefined;
    if (sources.includes('pod')) {
      const probe = await probeFromSharedClient(ctx, namespace, p.clientImage, urls);
      client = probe.client.name;
      rows.push(
        ...nodes.map((n, i) => ({
          from: 'pod' as const,
          node: n.node,
          url: urls[i] ?? '',
          answeredBy: probe.answers.get(i)?.name ?? null,
        })),
      );
    }
    if (sources.includes('node'))
      rows.push(...(await fromNodeShell(ctx, p.nodeShell ?? ctx.controlPlane, nodes, urls)));
    if (sources.includes('host')) rows.push(...(await fromHost(ctx, nodes, urls)));
    return judgeNodePort({
      service: p.service,
      nodePort,
      nodes,
      podNodes: [...new Set(target.endpoints.flatMap((e) => (e.node === undefined ? [] : [e.node])))],
      endpointPods: target.endpointPods,
      rows,
      nodeShell: p.nodeShell ?? ctx.controlPlane,
      client,
    });
  },
});

export interface NodePortObservation {
  readonly service: string;
  readonly nodePort: number;
  readonly nodes: readonly NodeAddress[];
  /** Nodes running a ready endpoint. */
  readonly podNodes: readonly string[];
  readonly endpointPods: readonly string[];
  readonly rows: readonly NodePortRow[];
  readonly nodeShell: string;
  readonly client: string | undefined;
}

/** The verdict on what each source saw; pure, so every message is unit-tested. */
export function judgeNodePort(o: NodePortObservation) {
  const say = t().serviceTypes;
  const expected = say.nodePortExpected(o.nodePort, o.nodes.map((n) => n.ip).join(', '));
  const shown = (r: NodePortRow) =>
    r.answeredBy === undefined ? say.notTried : (r.answeredBy ?? t().checks.noAnswer);
  const actual = o.rows.map((r) => `${say.source(r.from, o.nodeShell)} → ${r.url} ${shown(r)}`).join('; ');
  const observed = {
    nodePort: o.nodePort,
    nodes: o.nodes,
    podNodes: o.podNodes,
    client: o.client,
    answers: o.rows,
  };
  const silent = o.rows.filter((r) => r.answeredBy === null);
  if (silent.length) {
    const silentNodes = [...new Set(silent.map((r) => r.node))];
    const onlyPodNodes =
      o.podNodes.length > 0 &&
      silentNodes.every((n) => !o.podNodes.includes(n)) &&
      o.nodes.filter((n) => !silentNodes.includes(n.node)).every((n) => o.podNodes.includes(n.node));
    const first = silent[0];
    if (first)
      fail({
        message: onlyPodNodes
          ? say.onlyPodNodes(o.service, o.nodePort, silentNodes.join(', '), o.podNodes.join(', '))
          : say.nodePortSilent(
              first.url,
              first.node,
              say.source(first.from, o.nodeShell),
              silent.length,
              o.rows.length,
            ),
        expected,
        actual,
        observed,
      });
  }
  const stranger = o.rows.find(
    (r) => typeof r.answeredBy === 'string' && !o.endpointPods.includes(r.answeredBy),
  );
  if (stranger && typeof stranger.answeredBy === 'string')
    fail({
      message: say.nodePortStranger(stranger.url, stranger.answeredBy, o.service),
      expected,
      actual,
      observed,
    });
  const skipped = o.rows.some((r) => r.answeredBy === undefined);
  return {
    ok: true,
    message: say.nodePortPassed(o.service, o.nodePort, o.nodes.length, skipped),
    expected,
    actual,
    observed,
  };
}
