// Seed stage 3 (#3, #4): the service answers by ClusterIP:port and by DNS name. Besides the seed's short
// name, `name.namespace` and the FQDN are tried: each exercises a different resolv.conf search path step.
import { t } from '../i18n/index.ts';
import { serviceReachableParams } from './check-params.ts';
import { probeFromSharedClient } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { urlFor } from './http-script.ts';
import { readServiceTarget } from './service-target.ts';

type NameKind = 'cluster-ip' | 'short' | 'namespaced' | 'fqdn';

export const serviceReachable = defineCheck({
  name: 'service-reachable',
  description: () => t().checkDescription.serviceReachable,
  params: serviceReachableParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const target = await readServiceTarget(ctx, p.service, namespace, p.port);
    const hosts: Record<NameKind, string> = {
      'cluster-ip': target.clusterIP,
      short: p.service,
      namespaced: `${p.service}.${namespace}`,
      fqdn: `${p.service}.${namespace}.svc.${p.clusterDomain}`,
    };
    const kinds = [...new Set(p.names)];
    const urls = kinds.map((k) => urlFor(hosts[k], p.port));
    const { client, answers } = await probeFromSharedClient(ctx, namespace, p.clientImage, urls);
    const rows = kinds.map((kind, i) => ({
      kind,
      url: urls[i] ?? '',
      answeredBy: answers.get(i)?.name ?? null,
    }));
    const say = t().checks;
    const expected = say.reachable.expected(urls.join(', '), target.endpointPods.join(', '));
    const actual = rows.map((r) => `${r.url} → ${r.answeredBy ?? say.noAnswer}`).join(', ');
    const observed = { client: client.name, clusterIP: target.clusterIP, answers: rows };
    for (const row of rows) {
      if (row.answeredBy === null)
        fail({
          message:
            row.kind === 'cluster-ip'
              ? say.reachable.clusterIpSilent(row.url)
              : say.reachable.dnsSilent(row.url, hosts[row.kind]),
          expected,
          actual,
          observed,
        });
      if (!target.endpointPods.includes(row.answeredBy))
        fail({
          message: say.reachable.stranger(row.url, row.answeredBy, p.service),
          expected,
          actual,
          observed,
        });
    }
    return {
      ok: true,
      message: say.reachable.passed(p.service, kinds.join(', ')),
      expected,
      actual,
      observed,
    };
  },
});
