// Sending N requests from a client pod and tallying who answered. Shared by spread, endpoint-replaced and
// session-affinity, which differ only in what they demand of the tally.
import { t } from '../i18n/index.ts';
import { execInPod } from './client-pod.ts';
import { parseAnswers, repeatScript, REQUEST_LIMIT_S } from './http-script.ts';
import type { ServiceTarget } from './service-target.ts';
import type { CheckContext, Spread } from './types.ts';

export interface Tally {
  /** Answering pod per request, in order ('' for no answer or an unreadable page). */
  readonly sequence: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
  /** Requests without a greeting (timeouts, refused, other pages). */
  readonly unanswered: number;
  /** A sample of what came back instead of a greeting, for the message. */
  readonly sampleUnanswered: string | undefined;
}

export async function sendRequests(
  ctx: CheckContext,
  client: string,
  namespace: string,
  url: string,
  count: number,
): Promise<Tally> {
  const result = await execInPod(
    ctx,
    client,
    namespace,
    repeatScript(url, count),
    count * REQUEST_LIMIT_S * 1000,
  );
  const answers = parseAnswers(result.stdout);
  const sequence: string[] = [];
  const counts = new Map<string, number>();
  let unanswered = 0;
  let sampleUnanswered: string | undefined;
  for (let i = 0; i < count; i++) {
    const a = answers.get(i);
    const name = a?.name ?? '';
    sequence.push(name);
    if (name === '') {
      unanswered++;
      sampleUnanswered ??= a?.raw || '(nothing)';
    } else counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return { sequence, counts, unanswered, sampleUnanswered };
}

export function formatCounts(counts: ReadonlyMap<string, number>, order?: readonly string[]): string {
  const names = order ?? [...counts.keys()].sort();
  return names.map((n) => `${n}: ${counts.get(n) ?? 0}`).join(', ');
}

/** "60 requests by ClusterIP:8080 over 3 pods": what a spread counted, for its histogram's title. */
export function spreadTitle(
  requests: number,
  target: ServiceTarget,
  via: 'cluster-ip' | 'dns' | 'node-port' | 'load-balancer',
  port: number,
  url?: string,
): string {
  // NodePort and LoadBalancer traffic is titled by the address it went to (node IP, EXTERNAL-IP).
  const address = url === undefined ? undefined : new URL(url);
  if ((via === 'node-port' || via === 'load-balancer') && address)
    return t().traffic.spreadTitle(
      requests,
      address.hostname,
      Number(address.port),
      target.endpointPods.length,
    );
  const by = via === 'cluster-ip' ? 'ClusterIP' : target.service.metadata.name;
  const pods = target.endpointPods.length;
  return t().traffic.spreadTitle(requests, by, port, pods);
}

/** The tally as a Spread: every endpoint (zeros included), then any other pod that answered. */
export function spreadOf(
  tally: Tally,
  endpoints: readonly string[],
  what: string,
  fit?: { readonly chiSquared: number; readonly pValue: number },
): Spread {
  const names = [...endpoints, ...strangers(tally.counts, endpoints).keys()];
  return {
    what,
    counts: Object.fromEntries(names.map((n) => [n, tally.counts.get(n) ?? 0])),
    ...(fit ? { chiSquared: fit.chiSquared, pValue: fit.pValue } : {}),
  };
}

/** Answers from pods that are not among `allowed`, with counts. */
export function strangers(
  counts: ReadonlyMap<string, number>,
  allowed: readonly string[],
): Map<string, number> {
  return new Map([...counts].filter(([n]) => !allowed.includes(n)));
}
