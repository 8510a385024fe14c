// What a traffic check needs from a Service: its ClusterIP, that it has the asked port, and its ready
// endpoints by pod name (the names the pages greet with). One place, so every check fails the same way
// on a missing service, a headless one or a wrong port.
import { t } from '../i18n/index.ts';
import { fail } from './define-check.ts';
import { kubectlJson } from './kube-read.ts';
import {
  endpointsSchema,
  notReadyEndpoints,
  readyEndpoints,
  serviceSchema,
  type KubeService,
  type ReadyEndpoint,
} from './kube-schemas.ts';
import { urlFor } from './http-script.ts';
import type { CheckContext } from './types.ts';

export interface ServiceTarget {
  readonly service: KubeService;
  readonly clusterIP: string;
  readonly endpoints: readonly ReadyEndpoint[];
  /** Pod names of the ready endpoints, sorted. */
  readonly endpointPods: readonly string[];
}

export async function readService(ctx: CheckContext, name: string, namespace: string): Promise<KubeService> {
  return kubectlJson(ctx, ['get', 'service', name], serviceSchema, { what: `service ${name}`, namespace });
}

export function clusterIpOf(service: KubeService): string {
  const ip = service.spec.clusterIP;
  const say = t().checks.target;
  if (!ip || ip === 'None')
    fail({
      message: say.noClusterIp(
        service.metadata.name,
        ip === 'None' ? say.headless : say.type(service.spec.type ?? '?'),
      ),
      expected: say.aClusterIp,
      actual: ip ?? say.none,
      retryable: false,
    });
  return ip;
}

/** Service + ready endpoints; fails when the port is not a service port or no endpoint is ready. */
export async function readServiceTarget(
  ctx: CheckContext,
  name: string,
  namespace: string,
  port: number,
): Promise<ServiceTarget> {
  const service = await readService(ctx, name, namespace);
  const clusterIP = clusterIpOf(service);
  const ports = service.spec.ports ?? [];
  const say = t().checks.target;
  if (!ports.some((p) => p.port === port))
    fail({
      message: say.noPort(name, port, ports.map((p) => p.port).join(', ') || say.none),
      expected: say.port(port),
      actual: ports.map((p) => `${p.name ?? ''}:${p.port}`).join(', ') || say.noPorts,
    });
  const eps = await kubectlJson(ctx, ['get', 'endpoints', name], endpointsSchema, {
    what: `endpoints of service ${name}`,
    namespace,
  });
  const ready = readyEndpoints(eps);
  if (ready.length === 0) {
    const notReady = notReadyEndpoints(eps);
    const selector = Object.entries(service.spec.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    fail({
      message: say.noReady(name, notReady.length, selector),
      expected: say.oneReady,
      actual: notReady.length
        ? say.notReadyList(notReady.map((e) => e.pod ?? e.ip).join(', '))
        : say.noEndpoints,
      // Not-ready addresses are pods on their way; an empty list may be pods still being scheduled.
      ...(notReady.length ? { progress: 'converging' as const } : {}),
    });
  }
  const unnamed = ready.filter((e) => e.pod === undefined);
  if (unnamed.length)
    fail({
      message: say.unnamed(name, unnamed.map((e) => e.ip).join(', ')),
      expected: say.podBacked,
      actual: unnamed.map((e) => e.ip).join(', '),
      retryable: false,
    });
  const endpointPods = ready.flatMap((e) => (e.pod === undefined ? [] : [e.pod])).sort();
  return { service, clusterIP, endpoints: ready, endpointPods };
}

/** http://<ClusterIP>:<port>/ or http://<name>:<port>/ (the short DNS name, as the seed's stage 3). */
export function serviceUrl(target: ServiceTarget, via: 'cluster-ip' | 'dns', port: number): string {
  return urlFor(via === 'cluster-ip' ? target.clusterIP : target.service.metadata.name, port);
}
