// Seed stage 3/7: requests through the Service spread over every pod. See spread-stats.ts for why "spread"
// is coverage + chi-squared uniformity (random kube-proxy modes) and strict rotation only for `mode: rr`.
import { serviceSpreadParams } from './check-params.ts';
import { ensureClientPod, SHARED_CLIENT } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { readServiceTarget, serviceUrl } from './service-target.ts';
import { CHI_SQUARED_ALPHA, judgeRandomSpread, judgeRotation, requestsFor } from './spread-stats.ts';
import { formatCounts, sendRequests, spreadOf, spreadTitle, strangers } from './traffic.ts';

export const serviceSpread = defineCheck({
  name: 'service-spread',
  description:
    'Requests to the service reach every ready endpoint and nothing else; counts fit a uniform spread (chi-squared) or, with mode rr, rotate strictly.',
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
    const url = serviceUrl(target, p.via, p.port);
    const tally = await sendRequests(ctx, client.name, namespace, url, requests);
    const others = strangers(tally.counts, pods);
    const what = spreadTitle(requests, target, p.via, p.port);
    const base = {
      actual:
        formatCounts(tally.counts, [...pods, ...others.keys()]) +
        (tally.unanswered ? `, no answer: ${tally.unanswered}` : ''),
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
        ? `${pods.length} endpoints answer in strict rotation over ${requests} requests`
        : `${pods.length} endpoints each answer; counts fit a uniform spread (chi-squared, alpha ${CHI_SQUARED_ALPHA})`;
    if (tally.unanswered)
      fail({
        ...base,
        expected,
        message: `${tally.unanswered} of ${requests} requests to ${url} got no answer (e.g. ${tally.sampleUnanswered}): are all endpoints serving on their target port?`,
      });
    if (others.size)
      fail({
        ...base,
        expected,
        message: `answers from ${[...others.keys()].join(', ')}, which ${others.size > 1 ? 'are' : 'is'} not a ready endpoint of service ${p.service} (endpoints: ${pods.join(', ')}): stale kube-proxy rules?`,
      });
    const silent = pods.filter((n) => (tally.counts.get(n) ?? 0) === 0);
    if (silent.length)
      fail({
        ...base,
        expected,
        message: `pod ${silent.join(', ')} never answered in ${requests} requests to ${url}: is it Ready? is it an endpoint?`,
      });
    if (p.mode === 'rr') {
      const verdict = judgeRotation(tally.sequence, pods.length);
      if (!verdict.ok)
        fail({
          ...base,
          expected,
          message: `request ${verdict.at + 1} answered by ${verdict.got}, expected ${verdict.expected}: not round robin (is kube-proxy in IPVS mode with scheduler rr?)`,
        });
      return {
        ok: true,
        ...base,
        expected,
        message: `${pods.length} pods answered in strict rotation over ${requests} requests`,
      };
    }
    const verdict = judgeRandomSpread(pods.map((n) => tally.counts.get(n) ?? 0));
    const observed = { ...base.observed, spread: spreadOf(tally, pods, what, verdict) };
    if (!verdict.ok)
      fail({
        ...base,
        observed,
        expected,
        message: `answers are not spread evenly (${base.actual}; chi-squared p = ${verdict.pValue.toExponential(1)} < ${CHI_SQUARED_ALPHA}): is one pod favoured, e.g. by sessionAffinity or a second selector match?`,
      });
    return {
      ok: true,
      ...base,
      observed,
      expected,
      message: `${pods.length} pods shared ${requests} requests evenly (chi-squared p = ${verdict.pValue.toFixed(2)})`,
    };
  },
});
