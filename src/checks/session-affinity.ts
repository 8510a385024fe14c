// Seed stage 6: with `sessionAffinity: ClientIP` each client pod always reaches one backend; a second client
// may reach another. Clients are separate pods (separate pod IPs); each sends all its requests in one exec.
import { t } from '../i18n/index.ts';
import { sessionAffinityParams } from './check-params.ts';
import { ensureClientPods } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { readServiceTarget, serviceUrl } from './service-target.ts';
import { formatCounts, sendRequests, strangers } from './traffic.ts';

export const sessionAffinity = defineCheck({
  name: 'session-affinity',
  description: () => t().checkDescription.sessionAffinity,
  params: sessionAffinityParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const target = await readServiceTarget(ctx, p.service, namespace, p.port);
    const say = t().traffic;
    const expected = say.affinityExpected(p.clients, p.requestsPerClient);
    const affinity = target.service.spec.sessionAffinity ?? 'None';
    if (affinity !== 'ClientIP')
      fail({
        message: say.affinityMissing(p.service, affinity),
        expected: 'spec.sessionAffinity: ClientIP',
        actual: affinity,
      });
    const clients = await ensureClientPods(ctx, {
      namespace,
      image: p.clientImage,
      purpose: 'affinity',
      count: p.clients,
    });
    const url = serviceUrl(target, p.via, p.port);
    // Concurrently: each client is its own exec round trip.
    const rows = await Promise.all(
      clients.map(async (c) => {
        const tally = await sendRequests(ctx, c.name, namespace, url, p.requestsPerClient);
        return { client: c.name, ip: c.ip, counts: tally.counts, tally };
      }),
    );
    const mapping = Object.fromEntries(
      rows.map((r) => [
        r.client,
        { clientIP: r.ip, backends: Object.fromEntries(r.counts), unanswered: r.tally.unanswered },
      ]),
    );
    const actual = rows.map((r) => `${r.client} → ${formatCounts(r.counts) || say.nothing}`).join('; ');
    const base = { expected, actual, observed: { url, mapping } };
    for (const r of rows) {
      if (r.tally.unanswered)
        fail({
          ...base,
          message: say.affinityUnanswered(
            r.tally.unanswered,
            p.requestsPerClient,
            r.client,
            r.tally.sampleUnanswered ?? '',
          ),
        });
      const others = strangers(r.counts, target.endpointPods);
      if (others.size)
        fail({
          ...base,
          message: say.affinityStrangers(r.client, [...others.keys()].join(', '), p.service),
        });
      if (r.counts.size !== 1)
        fail({
          ...base,
          message: say.affinitySpread(r.client, r.counts.size, formatCounts(r.counts)),
        });
    }
    return {
      ok: true,
      ...base,
      message: say.affinityHeld(rows.map((r) => `${r.client} → ${[...r.counts.keys()][0]}`).join(', ')),
    };
  },
});
