// Seed: ExternalName "calls an external service from inside Kubernetes" (외부 서비스를 쿠버네티스 내부에서 호출):
// the cluster DNS answers the Service's name with a CNAME to spec.externalName. No ClusterIP (kube-proxy has
// nothing to do), no endpoints (no selector). The CNAME is read from a client pod's `nslookup` of the FQDN,
// so the check sees what a pod sees, whether or not the target itself resolves.
import { t } from '../i18n/index.ts';
import { quoteWord } from '../ssh/quote.ts';
import { externalNameParams } from './check-params.ts';
import { ensureClientPod, execInPod, SHARED_CLIENT } from './client-pod.ts';
import { defineCheck, fail } from './define-check.ts';
import { endpointsSchema, readyEndpoints, notReadyEndpoints } from './kube-schemas.ts';
import { readService } from './service-target.ts';
import type { CheckContext } from './types.ts';

/** busybox and bind nslookup print `NAME<tab>canonical name = TARGET` (bind with a trailing dot). */
export function parseCnames(stdout: string): { name: string; target: string }[] {
  return [...stdout.matchAll(/^(\S+)\s+canonical name\s*=\s*(\S+?)\.?\s*$/gm)].map((m) => ({
    name: (m[1] ?? '').replace(/\.$/, ''),
    target: m[2] ?? '',
  }));
}

/** The endpoint addresses of the service, [] when there is no Endpoints object (as for ExternalName). */
async function endpointAddresses(ctx: CheckContext, name: string, namespace: string): Promise<string[]> {
  const result = await ctx.kubectl(['get', 'endpoints', name, '-n', namespace, '-o', 'json'], {
    timeoutMs: ctx.commandTimeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (result.exitCode !== 0) return [];
  try {
    const parsed = endpointsSchema.safeParse(JSON.parse(result.stdout));
    if (!parsed.success) return [];
    return [...readyEndpoints(parsed.data), ...notReadyEndpoints(parsed.data)].map((e) => e.ip);
  } catch {
    return [];
  }
}

export const externalName = defineCheck({
  name: 'external-name',
  description: () => t().serviceTypes.describe.externalName,
  params: externalNameParams,
  async run(ctx, p) {
    const namespace = p.namespace ?? ctx.namespace;
    const say = t().serviceTypes;
    const service = await readService(ctx, p.service, namespace);
    const type = service.spec.type ?? 'ClusterIP';
    const expected = say.cnameExpected(p.service, p.target);
    if (type !== 'ExternalName')
      fail({ message: say.notExternalName(p.service, type), expected, actual: type, progress: 'settled' });
    if (service.spec.externalName !== p.target)
      fail({
        message: say.wrongExternalName(p.service, service.spec.externalName ?? say.none, p.target),
        expected,
        actual: service.spec.externalName ?? say.none,
        progress: 'settled',
      });
    const clusterIP = service.spec.clusterIP;
    if (clusterIP !== undefined && clusterIP !== '' && clusterIP !== 'None')
      fail({
        message: say.hasClusterIp(p.service, clusterIP),
        expected,
        actual: clusterIP,
        progress: 'settled',
      });
    const addresses = await endpointAddresses(ctx, p.service, namespace);
    if (addresses.length)
      fail({
        message: say.hasEndpoints(p.service, addresses.join(', ')),
        expected,
        actual: addresses.join(', '),
        progress: 'settled',
      });
    const fqdn = `${p.service}.${namespace}.svc.${p.clusterDomain}`;
    const client = await ensureClientPod(ctx, { namespace, image: p.clientImage, purpose: SHARED_CLIENT });
    // `; true`: nslookup exits non-zero when the target has no address, yet it has printed the CNAME.
    const result = await execInPod(
      ctx,
      client.name,
      namespace,
      `nslookup ${quoteWord(fqdn)} 2>&1; true`,
      10_000,
    );
    const cnames = parseCnames(result.stdout);
    const observed = { fqdn, client: client.name, cnames, externalName: service.spec.externalName };
    const actual =
      cnames.map((c) => `${c.name} → ${c.target}`).join(', ') || result.stdout.trim().slice(0, 200);
    const mine = cnames.find((c) => c.name === fqdn);
    if (!mine) fail({ message: say.noCname(fqdn, client.name), expected, actual, observed });
    if (mine.target !== p.target)
      fail({ message: say.wrongCname(fqdn, mine.target, p.target), expected, actual, observed });
    return { ok: true, message: say.cnamePassed(fqdn, p.target), expected, actual, observed };
  },
});
