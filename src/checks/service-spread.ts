// Seed stage 3/7: requests through the Service spread over every pod. See spread-stats.ts for why "spread"
// is coverage + chi-squared uniformity (random kube-proxy modes) and strict rotation only for `mode: rr`.
import { t } from '../i18n/index.ts';
import { serviceSpreadParams } from './check-params.ts';
import { ensureClientPod, SHARED_CLIENT } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { ingressIpOf } from './load-balancer.ts';
import { nodePortOf } from './node-port.ts';
import { nodeAddresses } from './nodes.ts';
import { readServiceTarget, serviceUrl, type ServiceTarget } from './service-target.ts';
import { urlFor } from './http-script.ts';
import type { ServiceSpreadParams } from './check-params.ts';
import type { CheckContext } from './types.ts';
import { CHI_SQUARED_ALPHA, judgeRandomSpread, judgeRotation, requestsFor } from './spread-stats.ts';
import { formatCounts, sendRequests, spreadOf, spreadTitle, strangers } from './traffic.ts';

export const serviceSpread = defineCheck({
  name: 'service-spread',
  description: () => t().checkDescription.serviceSpread,
  params: serviceSpreadParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const target = await readServiceTarget(ctx, p.service, namespace, p.port);
    const pods = target.endpointPods;
    const requests =
      p.mode === 'rr' ? Math.max(p.requests, 2 * pods.length) : requestsFor(pods.length, p.requests);
    const client = await ensureClientPod(ctx, {
      namespace,
      image: p.clientImage,
      purpose: SHARED_CLIENT,
    });
    const url = await spreadUrl(ctx, target, p);
    const tally = await sendRequests(ctx, client.name, namespace, url, requests);
    const others = strangers(tally.counts, pods);
    const what = spreadTitle(requests, target, p.via, p.port, url);
    const say = t().traffic;
    const base = {
      actual:
        formatCounts(tally.counts, [...pods, ...others.keys()]) +
        (tally.unanswered ? `${say.noAnswer}${tally.unanswered}` : ''),
      observed: {
        url,
        requests,
        mode: p.mode,
        endpoints: pods,
        spread: spreadOf(tally, pods, what),
        unanswered: tally.unanswered,
      },
    };
    const expected =
      p.mode === 'rr'
        ? say.rotationExpected(pods.length, requests)
        : say.spreadExpected(pods.length, CHI_SQUARED_ALPHA);
    if (tally.unanswered)
      fail({
        ...base,
        expected,
        message: say.unanswered(tally.unanswered, requests, url, tally.sampleUnanswered ?? ''),
      });
    if (others.size)
      fail({
        ...base,
        expected,
        message: say.strangers([...others.keys()].join(', '), others.size > 1, p.service, pods.join(', ')),
      });
    const silent = pods.filter((n) => (tally.counts.get(n) ?? 0) === 0);
    if (silent.length)
      fail({
        ...base,
        expected,
        message: say.silent(silent.join(', '), requests, url),
      });
    if (p.mode === 'rr') {
      const verdict = judgeRotation(tally.sequence, pods.length);
      if (!verdict.ok)
        fail({
          ...base,
          expected,
          message: say.notRotation(verdict.at + 1, verdict.got, verdict.expected),
        });
      return {
        ok: true,
        ...base,
        expected,
        message: say.rotated(pods.length, requests),
      };
    }
    const verdict = judgeRandomSpread(pods.map((n) => tally.counts.get(n) ?? 0));
    const observed = { ...base.observed, spread: spreadOf(tally, pods, what, verdict) };
    if (!verdict.ok)
      fail({
        ...base,
        observed,
        expected,
        message: say.uneven(base.actual, verdict.pValue.toExponential(1), CHI_SQUARED_ALPHA),
      });
    return {
      ok: true,
      ...base,
      observed,
      expected,
      message: say.even(pods.length, requests, verdict.pValue.toFixed(2)),
    };
  },
});

/** Where the requests go: the ClusterIP or name, a node's InternalIP:nodePort (issue 15: the control plane's by
 *  default, a node that runs no tutorial pod, so every answer crossed kube-proxy's NodePort rule to another
 *  node), or the EXTERNAL-IP:port. */
async function spreadUrl(ctx: CheckContext, target: ServiceTarget, p: ServiceSpreadParams): Promise<string> {
  if (p.via === 'cluster-ip' || p.via === 'dns') return serviceUrl(target, p.via, p.port);
  const say = t().serviceTypes;
  if (p.via === 'load-balancer') {
    const ip = ingressIpOf(target.service);
    if (ip !== undefined) return urlFor(ip, p.port);
    // No provider by configuration (metallb.enabled: false): the <pending> is load-balancer-ip's to explain;
    // the traffic is measured where a cloud load balancer would send it, the Service's nodePort.
    if (ctx.facts?.metallb?.enabled !== false)
      fail({
        message: say.pending(p.service),
        expected: say.addressExpected(say.aPool),
        actual: '<pending>',
      });
  }
  const nodePort = nodePortOf(target.service, p.port, undefined);
  const nodes = await nodeAddresses(ctx);
  const name = p.node ?? ctx.controlPlane;
  const node = nodes.find((n) => n.node === name);
  if (!node)
    fail({
      message: say.noSuchNode(name, nodes.map((n) => n.node).join(', ')),
      expected: say.everyNodeIp,
      actual: nodes.map((n) => n.node).join(', '),
      retryable: false,
    });
  return urlFor(node.ip, nodePort);
}
