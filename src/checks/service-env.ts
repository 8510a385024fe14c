// Seed stage 5: the kubelet gives a container one set of variables per Service that existed in its
// namespace when the pod was created (docker-link style); pods created earlier get none. The expected set
// is computed from the Service's JSON exactly as the kubelet does (pkg/kubelet/envvars), never hard-coded.
import { serviceEnvParams } from './check-params.ts';
import { ensureClientPod, execInPod } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { kubectlJson } from './kube-read.ts';
import { podListSchema, podSchema, type KubePod, type KubeService } from './kube-schemas.ts';
import { clusterIpOf, readService } from './service-target.ts';
import type { CheckContext } from './types.ts';

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

function createdAt(obj: { metadata: { creationTimestamp?: string | undefined } }): number {
  return Date.parse(obj.metadata.creationTimestamp ?? '');
}

async function readEnv(ctx: CheckContext, pod: string, namespace: string): Promise<Map<string, string>> {
  const result = await execInPod(ctx, pod, namespace, 'env', 0);
  return parseEnv(result.stdout);
}

async function podCreatedAfter(ctx: CheckContext, name: string, namespace: string, service: KubeService) {
  const pod = await kubectlJson(ctx, ['get', 'pod', name], podSchema, { what: `pod ${name}`, namespace });
  if (!(createdAt(pod) >= createdAt(service)))
    fail({
      message: `pod ${name} was created at ${pod.metadata.creationTimestamp}, before service ${service.metadata.name} (${service.metadata.creationTimestamp}): it cannot have the service variables; create a new pod`,
      expected: `a pod created after ${service.metadata.creationTimestamp}`,
      actual: pod.metadata.creationTimestamp ?? 'unknown',
    });
}

async function olderPods(
  ctx: CheckContext,
  p: { podBefore?: string | undefined },
  namespace: string,
  service: KubeService,
): Promise<KubePod[]> {
  if (p.podBefore !== undefined) {
    const pod = await kubectlJson(ctx, ['get', 'pod', p.podBefore], podSchema, {
      what: `pod ${p.podBefore}`,
      namespace,
    });
    if (!(createdAt(pod) < createdAt(service)))
      fail({
        message: `podBefore ${p.podBefore} was created at ${pod.metadata.creationTimestamp}, not before service ${service.metadata.name} (${service.metadata.creationTimestamp})`,
        expected: 'a pod older than the service',
        actual: pod.metadata.creationTimestamp ?? 'unknown',
        retryable: false,
      });
    return [pod];
  }
  const selector = Object.entries(service.spec.selector ?? {}).map(([k, v]) => `${k}=${v}`);
  if (selector.length === 0) return [];
  const list = await kubectlJson(ctx, ['get', 'pods', '-l', selector.join(',')], podListSchema, {
    what: `pods ${selector.join(',')}`,
    namespace,
  });
  return list.items.filter(
    (pod) =>
      !pod.metadata.deletionTimestamp &&
      pod.status?.phase === 'Running' &&
      createdAt(pod) < createdAt(service),
  );
}

export const serviceEnv = defineCheck({
  name: 'service-env',
  description:
    'A pod created after the service has its <NAME>_SERVICE_* and <NAME>_PORT_* variables with the right values; a pod created before it has none.',
  params: serviceEnvParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const service = await readService(ctx, p.service, namespace);
    const want = expectedServiceEnv(service);
    const names = Object.keys(want).sort();
    let after: string;
    if (p.pod !== undefined) {
      await podCreatedAfter(ctx, p.pod, namespace, service);
      after = p.pod;
    } else {
      const client = await ensureClientPod(ctx, {
        namespace,
        image: p.clientImage,
        purpose: 'env',
      });
      after = client.name;
    }
    const env = await readEnv(ctx, after, namespace);
    const got = Object.fromEntries(names.map((n) => [n, env.get(n) ?? null]));
    const expected = `${after} has ${names.length} variables (${names.map((n) => `${n}=${want[n]}`).join(', ')}); pods older than the service have none`;
    const missing = names.filter((n) => !env.has(n));
    const wrong = names.filter((n) => env.has(n) && env.get(n) !== want[n]);
    const observed: Record<string, unknown> = { pod: after, expected: want, actual: got };
    const actual = names.map((n) => `${n}=${env.get(n) ?? '(unset)'}`).join(', ');
    if (missing.length)
      fail({
        message: `pod ${after} lacks ${missing.length} of ${names.length} service variables (${missing.join(', ')}): was it created after service ${p.service}, in namespace ${namespace}? (enableServiceLinks false?)`,
        expected,
        actual,
        observed,
      });
    if (wrong.length)
      fail({
        message: `pod ${after} has wrong values: ${wrong.map((n) => `${n}=${env.get(n)} (expected ${want[n]})`).join(', ')}: was the service re-created after the pod started?`,
        expected,
        actual,
        observed,
      });
    const older = await olderPods(ctx, p, namespace, service);
    const leaked: Record<string, string[]> = {};
    for (const pod of older) {
      const olderEnv = await readEnv(ctx, pod.metadata.name, namespace);
      const present = names.filter((n) => olderEnv.has(n));
      if (present.length) leaked[pod.metadata.name] = present;
    }
    observed['olderPods'] = older.map((o) => o.metadata.name);
    observed['leaked'] = leaked;
    const [leakedPod, leakedNames] = Object.entries(leaked)[0] ?? [];
    if (leakedPod !== undefined && leakedNames !== undefined)
      fail({
        message: `pod ${leakedPod} was created before service ${p.service} but has ${leakedNames.join(', ')}: a pod only gets variables of services that existed when it started`,
        expected,
        actual: `${leakedPod}: ${leakedNames.join(', ')}`,
        observed,
        retryable: false,
      });
    return {
      ok: true,
      message: `${after} has all ${names.length} ${envPrefix(p.service)}_* variables${older.length ? `; ${older.length} older pod(s) have none` : '; no pod older than the service to check for absence'}`,
      expected,
      actual,
      observed,
    };
  },
});
