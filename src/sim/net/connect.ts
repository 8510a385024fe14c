// One new TCP connection + HTTP GET from a pod, as the packet would travel: DNS (CoreDNS), then a Service
// ClusterIP or NodePort (kube-proxy DNAT to one endpoint), or straight to a pod IP; then whatever listens
// in the target pod. Outcomes mirror what the client sees: a page, a refusal (nothing listens, or a
// Service without ready endpoints: kube-proxy REJECTs), a timeout (packets dropped), or a DNS failure.
import { readyEndpoints } from '../model/endpoints.ts';
import { isServerImage } from '../model/pods.ts';
import { cidrContains } from '../model/ipam.ts';
import { hasFault, type ClusterState, type StoredPod } from '../model/state.ts';
import type { Service } from '../model/types.ts';
import { resolveName } from './dns.ts';
import { echoHostnamePage, nginxPage } from './echo-page.ts';
import { blackholedIps, chooseEndpoint, type Random } from './kube-proxy.ts';

export interface Client {
  readonly ip: string;
  readonly namespace: string;
}

export type ConnectOutcome =
  | { readonly kind: 'ok'; readonly ip: string; readonly body: string; readonly pod: string }
  | { readonly kind: 'refused'; readonly ip: string }
  | { readonly kind: 'timeout'; readonly ip: string }
  | { readonly kind: 'bad-address' }
  | { readonly kind: 'dns-timeout' };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Name → IP as the pod's resolver would; undefined when the name does not resolve. */
export function lookupHost(
  state: ClusterState,
  client: Client,
  host: string,
  random: Random,
): { ip?: string; dnsTimeout?: boolean } {
  if (IPV4.test(host)) return { ip: host };
  if (host === 'localhost') return { ip: '127.0.0.1' };
  if (hasFault(state, 'dns-broken')) return { dnsTimeout: true };
  const answer = resolveName(state, client.namespace, host);
  if (!answer) return {};
  if (answer.kind === 'cname') {
    // The CNAME target is outside the cluster; the testbed has no upstream DNS, so it does not resolve.
    return IPV4.test(answer.target) ? { ip: answer.target } : {};
  }
  const ip = answer.addresses[random(Math.max(1, answer.addresses.length))];
  return ip ? { ip } : {};
}

function serviceFor(
  state: ClusterState,
  ip: string,
  port: number,
): { service: Service; servicePort: number } | 'no-port' | undefined {
  const byClusterIp = state.services.find((s) => s.spec.clusterIP === ip);
  if (byClusterIp) {
    return byClusterIp.spec.ports?.some((p) => p.port === port)
      ? { service: byClusterIp, servicePort: port }
      : 'no-port';
  }
  const isNode = state.nodes.some((n) =>
    n.status.addresses.some((a) => a.type === 'InternalIP' && a.address === ip),
  );
  if (isNode) {
    for (const s of state.services) {
      const p = s.spec.ports?.find((sp) => sp.nodePort === port);
      if (p && (s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer'))
        return { service: s, servicePort: p.port };
    }
  }
  return undefined;
}

function podAt(state: ClusterState, ip: string): StoredPod | undefined {
  return state.pods.find((p) => p.runtime.ip === ip && p.object.status.podIP === ip);
}

/** What the pod's container answers on `port`. */
function serve(state: ClusterState, ip: string, port: number): ConnectOutcome {
  if (blackholedIps(state).has(ip)) return { kind: 'timeout', ip };
  const pod = podAt(state, ip);
  if (!pod || pod.object.status.phase !== 'Running') return { kind: 'timeout', ip };
  const image = pod.object.spec.containers[0]?.image ?? '';
  if (port === 80 && /rr-test:echo-hostname/.test(image))
    return {
      kind: 'ok',
      ip,
      body: echoHostnamePage(pod.object.metadata.name),
      pod: pod.object.metadata.name,
    };
  if (port === 80 && /nginx/.test(image))
    return { kind: 'ok', ip, body: nginxPage(), pod: pod.object.metadata.name };
  if (!isServerImage(image) || port !== 80) return { kind: 'refused', ip };
  return { kind: 'refused', ip };
}

/** A new connection from `client` to host:port (host: IP or DNS name). Mutates kube-proxy memory. */
export function connect(
  state: ClusterState,
  client: Client,
  host: string,
  port: number,
  now: number,
  random: Random,
): ConnectOutcome {
  const looked = lookupHost(state, client, host, random);
  if (looked.dnsTimeout) return { kind: 'dns-timeout' };
  if (!looked.ip) return { kind: 'bad-address' };
  const ip = looked.ip;
  const target = serviceFor(state, ip, port);
  if (target === 'no-port') return { kind: 'timeout', ip };
  if (target) {
    const ready = readyEndpoints(state, target.service, target.servicePort);
    if (ready.length === 0) return { kind: 'refused', ip };
    const endpoint = chooseEndpoint(state, target.service, target.servicePort, ready, client.ip, now, random);
    const outcome = serve(state, endpoint.ip, endpoint.port);
    // The client only ever sees the address it dialled.
    return outcome.kind === 'ok' || outcome.kind === 'refused' || outcome.kind === 'timeout'
      ? { ...outcome, ip }
      : outcome;
  }
  if (ip === client.ip || ip === '127.0.0.1') return { kind: 'refused', ip };
  if (cidrContains(state.cluster.podCIDR, ip)) return serve(state, ip, port);
  // Node addresses without a NodePort, service-CIDR holes and the outside world: nothing answers.
  const isNode = state.nodes.some((n) => n.status.addresses.some((a) => a.address === ip));
  return isNode ? { kind: 'refused', ip } : { kind: 'timeout', ip };
}
