// Seed stage 5: a pod created after the service has its variables (computed from the Service JSON, never
// hard-coded: service-env-vars.ts); pods created before it have none.
import { t } from '../i18n/index.ts';
import { serviceEnvParams } from './check-params.ts';
import { ensureClientPod, execInPod } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { kubectlJson } from './kube-read.ts';
import { podListSchema, podSchema, type KubePod, type KubeService } from './kube-schemas.ts';
import { readService } from './service-target.ts';
import { envPrefix, expectedServiceEnv, parseEnv } from './service-env-vars.ts';
import type { CheckContext } from './types.ts';

function createdAt(obj: { metadata: { creationTimestamp?: string | undefined } }): number {
  return Date.parse(obj.metadata.creationTimestamp ?? '');
}

async function readEnv(ctx: CheckContext, pod: string, namespace: string): Promise<Map<string, string>> {
  const result = await execInPod(ctx, pod, namespace, 'env', 0);
  return parseEnv(result.stdout);
}

async function podCreatedAfter(ctx: CheckContext, name: string, namespace: string, service: KubeService) {
  const pod = await kubectlJson(ctx, ['get', 'pod', name], podSchema, { what: `pod ${name}`, namespace });
  const say = t().checks;
  if (!(createdAt(pod) >= createdAt(service)))
    fail({
      message: say.env.createdBefore(
        name,
        String(pod.metadata.creationTimestamp),
        service.metadata.name,
        String(service.metadata.creationTimestamp),
      ),
      expected: say.env.createdAfter(String(service.metadata.creationTimestamp)),
      actual: pod.metadata.creationTimestamp ?? say.unknown,
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
    const say = t().checks;
    if (!(createdAt(pod) < createdAt(service)))
      fail({
        message: say.env.notBefore(
          p.podBefore,
          String(pod.metadata.creationTimestamp),
          service.metadata.name,
          String(service.metadata.creationTimestamp),
        ),
        expected: say.env.olderPod,
        actual: pod.metadata.creationTimestamp ?? say.unknown,
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

/** Per older pod, which of the service's variables it has (it should have none). One exec per pod. */
async function leakedVariables(
  ctx: CheckContext,
  pods: readonly KubePod[],
  names: readonly string[],
  namespace: string,
): Promise<Record<string, string[]>> {
  const leaked: Record<string, string[]> = {};
  for (const pod of pods) {
    const env = await readEnv(ctx, pod.metadata.name, namespace);
    const present = names.filter((n) => env.has(n));
    if (present.length) leaked[pod.metadata.name] = present;
  }
  return leaked;
}

export const serviceEnv = defineCheck({
  name: 'service-env',
  description: () => t().checkDescription.serviceEnv,
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
    const say = t().checks.env;
    const expected = say.expected(after, names.length, names.map((n) => `${n}=${want[n]}`).join(', '));
    const missing = names.filter((n) => !env.has(n));
    const wrong = names.filter((n) => env.has(n) && env.get(n) !== want[n]);
    const observed: Record<string, unknown> = { pod: after, expected: want, actual: got };
    const actual = names.map((n) => `${n}=${env.get(n) ?? say.unset}`).join(', ');
    if (missing.length)
      fail({
        message: say.missing(after, missing.length, names.length, missing.join(', '), p.service, namespace),
        expected,
        actual,
        observed,
      });
    if (wrong.length)
      fail({
        message: say.wrong(
          after,
          wrong.map((n) => say.wrongValue(n, String(env.get(n)), String(want[n]))).join(', '),
        ),
        expected,
        actual,
        observed,
      });
    const older = await olderPods(ctx, p, namespace, service);
    const leaked = await leakedVariables(ctx, older, names, namespace);
    observed['olderPods'] = older.map((o) => o.metadata.name);
    observed['leaked'] = leaked;
    const [leakedPod, leakedNames] = Object.entries(leaked)[0] ?? [];
    if (leakedPod !== undefined && leakedNames !== undefined)
      fail({
        message: say.leaked(leakedPod, p.service, leakedNames.join(', ')),
        expected,
        actual: `${leakedPod}: ${leakedNames.join(', ')}`,
        observed,
        retryable: false,
      });
    return {
      ok: true,
      message: say.passed(after, names.length, envPrefix(p.service), older.length),
      expected,
      actual,
      observed,
    };
  },
});
