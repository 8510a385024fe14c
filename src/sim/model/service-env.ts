// Service environment variables as the kubelet sets them when it creates a pod (enableServiceLinks):
// every service of the pod's namespace that exists at that moment, plus the `kubernetes` service of
// `default` for every pod. Names: upper case, dashes → underscores; a named port adds
// <SVC>_SERVICE_PORT_<NAME>. Services created later never show up in an existing pod.
import type { ClusterState } from './state.ts';
import type { Service } from './types.ts';

function envName(text: string): string {
  return text.toUpperCase().replace(/-/g, '_');
}

/** The variables of one service, in the order the seed's `env` printed them. */
export function serviceEnvVars(service: Service): [string, string][] {
  const ip = service.spec.clusterIP;
  const ports = service.spec.ports ?? [];
  const first = ports[0];
  if (!ip || ip === 'None' || !first) return [];
  const prefix = envName(service.metadata.name);
  const vars: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip]];
  const perPort: [string, string][] = [];
  for (const port of ports) {
    const proto = port.protocol.toLowerCase();
    const key = `${prefix}_PORT_${port.port}_${port.protocol.toUpperCase()}`;
    perPort.push([`${key}_ADDR`, ip], [`${key}_PORT`, String(port.port)]);
    if (port.name) vars.push([`${prefix}_SERVICE_PORT_${envName(port.name)}`, String(port.port)]);
    perPort.push([`${key}_PROTO`, proto], [key, `${proto}://${ip}:${port.port}`]);
  }
  // The seed's order: _SERVICE_HOST, _PORT_8080_TCP_ADDR, _PORT_8080_TCP_PORT, _SERVICE_PORT_WEB_PORT,
  // _PORT_8080_TCP_PROTO, _SERVICE_PORT, _PORT, _PORT_8080_TCP (a Go map's order in the kubelet).
  const named = vars.slice(1);
  const [addr, portVar, protoVar, tcpVar, ...restPorts] = perPort;
  const out: [string, string][] = [[`${prefix}_SERVICE_HOST`, ip]];
  if (addr) out.push(addr);
  if (portVar) out.push(portVar);
  out.push(...named);
  if (protoVar) out.push(protoVar);
  out.push([`${prefix}_SERVICE_PORT`, String(first.port)]);
  out.push([`${prefix}_PORT`, `${first.protocol.toLowerCase()}://${ip}:${first.port}`]);
  if (tcpVar) out.push(tcpVar);
  out.push(...restPorts);
  return out;
}

export function serviceEnvForNewPod(state: ClusterState, namespace: string): [string, string][] {
  const services = state.services.filter(
    (s) =>
      s.spec.type !== 'ExternalName' &&
      (s.metadata.namespace === namespace ||
        (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')),
  );
  // Namespace services are listed first; `kubernetes` appears once even in `default`.
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const service of services) {
    if (seen.has(service.metadata.name)) continue;
    seen.add(service.metadata.name);
    out.push(...serviceEnvVars(service));
  }
  return out;
}
