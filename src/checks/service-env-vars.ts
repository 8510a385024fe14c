// The docker-link style variables the kubelet gives a container for each Service of its namespace that
// existed when the pod was created, computed from the Service JSON the way pkg/kubelet/envvars does.
import type { KubeService } from './kube-schemas.ts';
import { clusterIpOf } from './service-target.ts';

/** `hostname-service-clusterip` → `HOSTNAME_SERVICE_CLUSTERIP` (upper case, dashes → underscores). */
export function envPrefix(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}

/** The variables the kubelet sets for a ClusterIP service, by name. The first port is "the" port. */
export function expectedServiceEnv(service: KubeService): Record<string, string> {
  const ip = clusterIpOf(service);
  const prefix = envPrefix(service.metadata.name);
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const ports = service.spec.ports ?? [];
  const env: Record<string, string> = {};
  const first = ports[0];
  if (!first) return env;
  env[`${prefix}_SERVICE_HOST`] = ip;
  env[`${prefix}_SERVICE_PORT`] = String(first.port);
  for (const port of ports)
    if (port.name) env[`${prefix}_SERVICE_PORT_${envPrefix(port.name)}`] = String(port.port);
  env[`${prefix}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${host}:${first.port}`;
  for (const port of ports) {
    const proto = (port.protocol ?? 'TCP').toLowerCase();
    const key = `${prefix}_PORT_${port.port}_${proto.toUpperCase()}`;
    env[key] = `${proto}://${host}:${port.port}`;
    env[`${key}_PROTO`] = proto;
    env[`${key}_PORT`] = String(port.port);
    env[`${key}_ADDR`] = ip;
  }
  return env;
}

export function parseEnv(stdout: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return env;
}
