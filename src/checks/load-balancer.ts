// Seed: LoadBalancer "provisions the cloud platform's load balancer" (클라우드 플랫폼에서 제공하는 로드밸런서를
// 동적으로 프로비저닝). On this bare-metal lab MetalLB (L2) stands in for the cloud: the Service's
// status.loadBalancer.ingress[0].ip (kubectl's EXTERNAL-IP) comes from its pool and answers from the machine
// running labkit. Without a provider the address stays <pending>: with `metallb.enabled: false` that is the
// expected state, and the check passes explaining it rather than failing a lab that was set up that way.
import { parseAddressPool, type AddressPool } from '../config/address-pool.ts';
import { parseIpv4 } from '../config/cidr.ts';
import { z } from 'zod';
import { t } from '../i18n/index.ts';
import { loadBalancerParams } from './check-params.ts';
import { defineCheck, fail } from './define-check.ts';
import { greetedName, urlFor, WGET_TIMEOUT_S } from './http-script.ts';
import type { KubeService } from './kube-schemas.ts';
import { nodePortOf } from './node-port.ts';
import { readServiceTarget } from './service-target.ts';
import type { CheckContext, CheckOutcome } from './types.ts';

const ipAddressPools = z.looseObject({
  items: z.array(
    z.looseObject({ spec: z.looseObject({ addresses: z.array(z.string()).optional() }).optional() }),
  ),
});

export function ingressIpOf(service: KubeService): string | undefined {
  return service.status?.loadBalancer?.ingress?.find((i) => i.ip !== undefined)?.ip;
}

/** Pools from MetalLB's own objects in the cluster, when the CRD exists (an inventory cluster made elsewhere). */
async function clusterPools(ctx: CheckContext): Promise<string[]> {
  const result = await ctx.kubectl(['get', 'ipaddresspools.metallb.io', '-A', '-o', 'json'], {
    timeoutMs: ctx.commandTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (result.exitCode !== 0) return [];
  try {
    const parsed = ipAddressPools.safeParse(JSON.parse(result.stdout));
    return parsed.success ? parsed.data.items.flatMap((i) => i.spec?.addresses ?? []) : [];
  } catch {
    return [];
  }
}

export function inPools(ip: string, pools: readonly string[]): boolean {
  const value = parseIpv4(ip);
  if (value === undefined) return false;
  return pools
    .map((text) => parseAddressPool(text))
    .flatMap((r): AddressPool[] => (r.ok ? [r.pool] : []))
    .some((pool) => pool.first <= value && value <= pool.last);
}

export const loadBalancerIp = defineCheck({
  name: 'load-balancer-ip',
  description: () => t().serviceTypes.describe.loadBalancerIp,
  params: loadBalancerParams,
  async run(ctx, p): Promise<CheckOutcome> {
    const namespace = p.namespace ?? ctx.namespace;
    const say = t().serviceTypes;
    const target = await readServiceTarget(ctx, p.service, namespace, p.port);
    const type = target.service.spec.type ?? 'ClusterIP';
    if (type !== 'LoadBalancer')
      fail({
        message: say.notLoadBalancer(p.service, type),
        expected: say.typeLoadBalancer,
        actual: type,
        progress: 'settled',
      });
    const nodePort = nodePortOf(target.service, p.port, undefined);
    const metallb = ctx.facts?.metallb;
    const wantAddress = p.provider === 'required' || (p.provider === 'auto' && metallb?.enabled !== false);
    const ip = ingressIpOf(target.service);
    if (!wantAddress)
      return {
        ok: true,
        message:
          ip === undefined
            ? say.pendingExplained(p.service, nodePort)
            : say.addressWithoutMetallb(p.service, ip),
        expected: say.pendingExpected,
        actual: ip ?? '<pending>',
        observed: { externalIP: ip ?? null, nodePort, metallb: metallb ?? null },
      };
    if (ip === undefined)
      fail({
        message: say.pending(p.service),
        expected: say.addressExpected(p.pool ?? metallb?.pool ?? say.aPool),
        actual: '<pending>',
        observed: { externalIP: null, nodePort },
      });
    const pools = p.pool !== undefined ? [p.pool] : metallb?.pool ? [metallb.pool] : await clusterPools(ctx);
    const poolText = pools.join(', ');
    if (pools.length && !inPools(ip, pools))
      fail({
        message: say.outsidePool(p.service, ip, poolText),
        expected: say.addressExpected(poolText),
        actual: ip,
        progress: 'settled',
      });
    const url = urlFor(ip, p.port);
    const observed = { externalIP: ip, pools, nodePort, url };
    if (!p.fromHost || !ctx.hostHttp)
      return {
        ok: true,
        message: say.lbAssigned(p.service, ip, poolText || say.poolUnknown, false),
        expected: say.addressExpected(poolText || say.aPool),
        actual: ip,
        observed,
      };
    const reply = await ctx.hostHttp(url, {
      timeoutMs: WGET_TIMEOUT_S * 1000,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const answeredBy = reply.ok ? greetedName(reply.body) : undefined;
    const expected = say.lbExpected(url, poolText || say.aPool);
    const actual = `${url} → ${answeredBy ?? (reply.ok ? `HTTP ${reply.status}` : reply.error)}`;
    if (answeredBy === undefined)
      fail({
        message: say.lbSilent(url, reply.ok ? `HTTP ${reply.status}` : reply.error),
        expected,
        actual,
        observed,
      });
    if (!target.endpointPods.includes(answeredBy))
      fail({ message: say.nodePortStranger(url, answeredBy, p.service), expected, actual, observed });
    return {
      ok: true,
      message: say.lbAssigned(p.service, ip, poolText || say.poolUnknown, true),
      expected,
      actual,
      observed: { ...observed, answeredBy },
    };
  },
});
