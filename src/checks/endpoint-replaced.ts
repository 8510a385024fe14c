// Seed stage 4 (#5, #6): after `kubectl delete pod X` the Deployment's replacement takes traffic and X never
// answers again. Endpoints change asynchronously, so this is one attempt: the runner retries it until the
// step deadline (a deleted pod still listed is a retryable failure, not a sleep).
import { t } from '../i18n/index.ts';
import { endpointReplacedParams } from './check-params.ts';
import { ensureClientPod, SHARED_CLIENT } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { kubectlJson } from './kube-read.ts';
import { deploymentSchema } from './kube-schemas.ts';
import { readServiceTarget, serviceUrl } from './service-target.ts';
import { requestsFor } from './spread-stats.ts';
import { formatCounts, sendRequests, spreadOf, spreadTitle, strangers } from './traffic.ts';

export const endpointReplaced = defineCheck({
  name: 'endpoint-replaced',
  description: () => t().checkDescription.endpointReplaced,
  params: endpointReplacedParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const deleted = p.deletedPod ?? ctx.memory.get(p.memoryKey)?.trim() ?? undefined;
    const deployment = await kubectlJson(ctx, ['get', 'deployment', p.deployment], deploymentSchema, {
      what: `deployment ${p.deployment}`,
      namespace,
    });
    const desired = deployment.spec.replicas ?? 1;
    const readyReplicas = deployment.status?.readyReplicas ?? 0;
    const say = t().checks.replaced;
    const expected = say.expected(deleted ?? say.theDeletedPod, p.deployment, desired);
    if (readyReplicas < desired)
      fail({
        message: say.notReady(p.deployment, readyReplicas, desired),
        expected,
        actual: say.readyCount(readyReplicas, desired),
        progress: 'converging',
      });
    const target = await readServiceTarget(ctx, p.service, namespace, p.port);
    const pods = target.endpointPods;
    if (deleted !== undefined && pods.includes(deleted))
      fail({
        message: say.stillEndpoint(deleted, p.service),
        expected,
        actual: say.endpoints(pods.join(', ')),
        progress: 'converging',
      });
    const requests = requestsFor(pods.length, p.requests);
    const client = await ensureClientPod(ctx, {
      namespace,
      image: p.clientImage,
      purpose: SHARED_CLIENT,
    });
    const url = serviceUrl(target, p.via, p.port);
    const tally = await sendRequests(ctx, client.name, namespace, url, requests);
    const others = strangers(tally.counts, pods);
    const actual = formatCounts(tally.counts, [...pods, ...others.keys()]);
    const observed = {
      deletedPod: deleted ?? null,
      endpoints: pods,
      requests,
      spread: spreadOf(tally, pods, spreadTitle(requests, target, p.via, p.port)),
      unanswered: tally.unanswered,
    };
    const base = { expected, actual, observed };
    if (deleted !== undefined && tally.counts.has(deleted))
      fail({
        ...base,
        message: say.stillAnswers(deleted, tally.counts.get(deleted) ?? 0, requests),
      });
    if (others.size)
      fail({
        ...base,
        message: say.strangers([...others.keys()].join(', '), p.service),
      });
    if (tally.unanswered)
      fail({
        ...base,
        message: say.unanswered(tally.unanswered, requests, url, String(tally.sampleUnanswered)),
      });
    const silent = pods.filter((n) => !tally.counts.has(n));
    if (silent.length)
      fail({
        ...base,
        message: say.silent(silent.join(', '), requests),
      });
    return {
      ok: true,
      ...base,
      message:
        deleted === undefined
          ? say.unknownPod(p.memoryKey, p.deployment, desired, pods.length)
          : say.passed(deleted, pods.length, pods.join(', ')),
    };
  },
});
