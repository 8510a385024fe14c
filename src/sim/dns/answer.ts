// The answer CoreDNS gives to one question with kubeadm's Corefile (`kubernetes cluster.local in-addr.arpa
// ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }`, then `forward . /etc/resolv.conf`),
// after plugin/kubernetes (handler.go, kubernetes.go findServices/findPods, reverse.go) and
// plugin/backend_lookup.go. Pure: the cluster comes in as a ClusterView, the result is records.
// The lab has no upstream resolver, so everything `forward` would get answers SERVFAIL at once (see
// FORWARD_FAILED).
import type { Answer } from 'dns-packet';
import { isIP } from 'node:net';
import {
  addressFromReverse,
  canonical,
  endpointHostname,
  matchZone,
  parseRequest,
  type RecordRequest,
} from './names.ts';
import { isHeadless, serviceKey, type ClusterView } from './view.ts';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export interface Reply {
  readonly rcode: Rcode;
  readonly authoritative: boolean;
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly additionals: Answer[];
}

export interface AnswerOptions {
  /** The cluster domain (kubelet --cluster-domain). */
  readonly domain: string;
  /** kubeadm's Corefile sets `ttl 30` (the plugin's own default is 5). */
  readonly ttl: number;
}

export const DEFAULT_ANSWER_OPTIONS: AnswerOptions = { domain: 'cluster.local', ttl: 30 };

/** kubeadm's `forward . /etc/resolv.conf` has nowhere to go in the lab (no internet, and no packet may
 *  leave the machine). CoreDNS's forward plugin answers SERVFAIL when its upstreams fail (REFUSED would mean
 *  "no server block for this name", which kubeadm's `.:53` rules out), so this is that answer, given at
 *  once instead of after forward's timeouts. */
export const FORWARD_FAILED: Reply = {
  rcode: 'SERVFAIL',
  authoritative: false,
  answers: [],
  authorities: [],
  additionals: [],
};

/** plugin/kubernetes DNSSchemaVersion, served as TXT dns-version.<zone>. */
const DNS_SCHEMA_VERSION = '1.1.0';
const MAX_CNAME_CHAIN = 10;
const FALLTHROUGH_ZONES = ['in-addr.arpa', 'ip6.arpa'];

/** A msg.Service of CoreDNS: an address or a name (ExternalName), the port, and the record's own name. */
interface Found {
  readonly host: string;
  readonly port: number;
  readonly domain: string;
}

type Lookup = { readonly found: readonly Found[] } | { readonly nameError: true };
const NAME_ERROR: Lookup = { nameError: true };

interface Ctx {
  readonly view: ClusterView;
  readonly opts: AnswerOptions;
  /** The zone as the query spelled it (CoreDNS keeps the case of the question in the SOA). */
  readonly zoneName: string;
}

function findServices(ctx: Ctx, r: RecordRequest): Lookup {
  const { view, opts } = ctx;
  if (r.service === '') return { found: [] };
  const svc = view.services.get(serviceKey(r.service, r.namespace));
  if (!svc) return NAME_ERROR;
  const svcDomain = `${svc.name}.${svc.namespace}.svc.${opts.domain}`;
  const portMatches = (name: string, protocol: string): boolean =>
    (r.port === '' || r.port === name.toLowerCase()) &&
    (r.protocol === '' || r.protocol === protocol.toLowerCase());
  if (svc.type === 'ExternalName') {
    if (r.endpoint !== '' || r.port !== '' || r.protocol !== '') return NAME_ERROR;
    const host = svc.externalName.replace(/\.$/, '');
    return isIP(host) === 0 && host !== '' ? { found: [{ host, port: 0, domain: svcDomain }] } : NAME_ERROR;
  }
  const found: Found[] = [];
  let exists = false;
  if (isHeadless(svc) || r.endpoint !== '') {
    for (const ep of view.endpoints.get(serviceKey(svc.name, svc.namespace)) ?? [])
      for (const addr of ep.addresses) {
        const label = endpointHostname(addr.ip, addr.hostname);
        if (r.endpoint !== '' && r.endpoint !== label.toLowerCase()) continue;
        for (const p of ep.ports) {
          if (!portMatches(p.name, p.protocol)) continue;
          exists = true;
          found.push({ host: addr.ip, port: p.port, domain: `${label}.${svcDomain}` });
        }
      }
  } else {
    for (const p of svc.ports) {
      if (!portMatches(p.name, p.protocol)) continue;
      exists = true;
      for (const ip of svc.clusterIPs) found.push({ host: ip, port: p.port, domain: svcDomain });
    }
  }
  return exists ? { found } : NAME_ERROR;
}

/** `pods insecure`: any a-b-c-d name in an existing namespace is that address, without looking for a pod. */
function findPods(ctx: Ctx, r: RecordRequest): Lookup {
  if (r.service === '') return { found: [] };
  const ip =
    (r.service.match(/-/g) ?? []).length === 3 && !r.service.includes('--')
      ? r.service.replaceAll('-', '.')
      : r.service.replaceAll('-', ':');
  if (isIP(ip) === 0) return NAME_ERROR;
  return { found: [{ host: ip, port: 0, domain: `${r.service}.${r.namespace}.pod.${ctx.opts.domain}` }] };
}

/** Kubernetes.Records: the parsed name looked up in the cluster. */
function records(ctx: Ctx, name: string, zone: string): Lookup {
  const r = parseRequest(name, zone);
  if (!r) return NAME_ERROR;
  if (r.podOrSvc === '') return { found: [] };
  if (zone !== ctx.opts.domain) return NAME_ERROR; // reverse names have no svc/pod records
  if (!ctx.view.namespaces.has(r.namespace)) return NAME_ERROR;
  return r.podOrSvc === 'pod' ? findPods(ctx, r) : findServices(ctx, r);
}

/** The kube-dns service's addresses: what `ns.dns.<zone>` and the NS record's glue resolve to. */
function nameserverAddresses(ctx: Ctx): string[] {
  const svc = ctx.view.services.get(serviceKey('kube-dns', 'kube-system'));
  return svc ? svc.clusterIPs.filter((ip) => isIP(ip) !== 0) : [];
}

/** Kubernetes.Services for address-like questions (A, AAAA, CNAME, SRV). */
function services(ctx: Ctx, name: string, zone: string): Lookup {
  if (name === `ns.dns.${zone}`)
    return { found: nameserverAddresses(ctx).map((host) => ({ host, port: 0, domain: name })) };
  return records(ctx, name, zone);
}

type AddressType = 'A' | 'AAAA';

interface Chain {
  readonly records: Answer[];
  readonly nameError: boolean;
}

/** plugin.A / plugin.AAAA: addresses, and CNAMEs followed inside the zone (outside it the lookup goes to
 *  `forward`, which fails here: the CNAME is answered alone, as CoreDNS does when upstream has nothing). */
function addresses(
  ctx: Ctx,
  qname: string,
  zone: string,
  type: AddressType,
  previous: readonly Answer[],
): Chain {
  const name = canonical(qname);
  const lookup = name === zone ? { found: [] } : services(ctx, name, zone);
  if ('nameError' in lookup) return { records: [], nameError: true };
  const out: Answer[] = [];
  const seen = new Set<string>();
  const ttl = ctx.opts.ttl;
  for (const s of lookup.found) {
    const family = isIP(s.host);
    if (family === 0) {
      if (canonical(s.host) === name || previous.length > MAX_CNAME_CHAIN) continue;
      const cname: Answer = { type: 'CNAME', name: qname, ttl, class: 'IN', data: s.host };
      if (previous.some((p) => p.type === 'CNAME' && canonical(p.name) === name && p.data === s.host))
        continue;
      if (matchZone(canonical(s.host), [zone])) {
        const next = addresses(ctx, s.host, zone, type, [...previous, cname]);
        if (!next.nameError && next.records.length > 0) out.push(cname, ...next.records);
        continue;
      }
      out.push(cname);
      continue;
    }
    if ((family === 4 ? 'A' : 'AAAA') !== type || seen.has(s.host)) continue;
    seen.add(s.host);
    out.push({ type, name: qname, ttl, class: 'IN', data: s.host });
  }
  return { records: out, nameError: false };
}

/** plugin.SRV: one SRV per port, weights split per priority as CoreDNS does, the targets' addresses as
 *  additional records. ExternalName services have no SRV (Services drops CNAME hosts for SRV). */
function srv(ctx: Ctx, qname: string, lookup: readonly Found[]): { records: Answer[]; extra: Answer[] } {
  const ttl = ctx.opts.ttl;
  const internal = lookup.filter((s) => isIP(s.host) !== 0);
  const weight = Math.max(1, Math.floor(100 / internal.length));
  const records: Answer[] = [];
  const extra: Answer[] = [];
  const seenSrv = new Set<string>();
  const seenAddr = new Set<string>();
  for (const s of internal) {
    if (s.port === -1) continue;
    if (!seenSrv.has(`${s.domain}|${s.port}`)) {
      seenSrv.add(`${s.domain}|${s.port}`);
      records.push({
        type: 'SRV',
        name: qname,
        ttl,
        class: 'IN',
        data: { priority: 0, weight, port: s.port, target: s.domain },
      });
    }
    if (!seenAddr.has(`${s.domain}|${s.host}`)) {
      seenAddr.add(`${s.domain}|${s.host}`);
      const type = isIP(s.host) === 4 ? 'A' : 'AAAA';
      extra.push({ type, name: s.domain, ttl, class: 'IN', data: s.host });
    }
  }
  return { records, extra };
}

/** Kubernetes.serviceRecordForIP: a ClusterIP's service, else every endpoint with that address. */
function reverse(ctx: Ctx, ip: string): string[] {
  const { view, opts } = ctx;
  for (const svc of view.services.values())
    if (svc.clusterIPs.includes(ip)) return [`${svc.name}.${svc.namespace}.svc.${opts.domain}`];
  const names: string[] = [];
  for (const slices of view.endpoints.values())
    for (const ep of slices)
      for (const addr of ep.addresses)
        if (addr.ip === ip)
          names.push(
            `${endpointHostname(addr.ip, addr.hostname)}.${ep.service}.${ep.namespace}.svc.${opts.domain}`,
          );
  return [...new Set(names)];
}

function soa(ctx: Ctx): Answer {
  const ttl = ctx.opts.ttl;
  return {
    type: 'SOA',
    name: ctx.zoneName,
    ttl: Math.min(ttl, 300),
    class: 'IN',
    data: {
      mname: `ns.dns.${ctx.zoneName}`,
      rname: `hostmaster.${ctx.zoneName}`,
      serial: ctx.view.modified >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
  };
}

const reply = (rcode: Rcode, answers: Answer[] = [], additionals: Answer[] = []): Reply => ({
  rcode,
  authoritative: true,
  answers,
  authorities: [],
  additionals,
});

/** plugin.BackendError: the rcode with the zone's SOA in the authority section. */
const backendError = (ctx: Ctx, rcode: Rcode): Reply => ({ ...reply(rcode), authorities: [soa(ctx)] });

type Outcome = { records: Answer[]; extra?: Answer[] } | { nameError: true };

function lookupType(ctx: Ctx, qname: string, name: string, zone: string, type: string): Outcome | Reply {
  const ttl = ctx.opts.ttl;
  const chain = (t: AddressType): Outcome => {
    const c = addresses(ctx, qname, zone, t, []);
    return c.nameError ? { nameError: true } : { records: c.records };
  };
  switch (type) {
    case 'A':
    case 'AAAA':
      return chain(type);
    case 'TXT': {
      if (name === `dns-version.${zone}`)
        return { records: [{ type: 'TXT', name: qname, ttl: 28800, class: 'IN', data: DNS_SCHEMA_VERSION }] };
      const l = records(ctx, name, zone);
      return 'found' in l && l.found.length > 0 ? { records: [] } : { nameError: true };
    }
    case 'CNAME': {
      const l = services(ctx, name, zone);
      if ('nameError' in l) return l;
      const first = l.found[0];
      return {
        records:
          first && isIP(first.host) === 0
            ? [{ type: 'CNAME', name: qname, ttl, class: 'IN', data: first.host }]
            : [],
      };
    }
    case 'SRV': {
      const l = services(ctx, name, zone);
      if ('nameError' in l) return l;
      const s = srv(ctx, qname, l.found);
      return { records: s.records, extra: s.extra };
    }
    case 'PTR': {
      const ip = addressFromReverse(name);
      if (ip === undefined) {
        const l = records(ctx, name, zone);
        return 'nameError' in l ? l : { records: [] };
      }
      const names = reverse(ctx, ip);
      if (names.length === 0) return { nameError: true };
      return { records: names.map((n) => ({ type: 'PTR', name: qname, ttl, class: 'IN', data: n })) };
    }
    case 'SOA':
      return { records: name === zone ? [soa(ctx)] : [] };
    case 'AXFR':
    case 'IXFR':
      return { ...FORWARD_FAILED, rcode: 'REFUSED' };
    case 'NS':
      if (name === zone) {
        const ns = `ns.dns.${ctx.zoneName}`;
        const glue: Answer[] = nameserverAddresses(ctx).map((ip) => ({
          type: isIP(ip) === 4 ? 'A' : 'AAAA',
          name: ns,
          ttl,
          class: 'IN',
          data: ip,
        }));
        return {
          records: glue.length ? [{ type: 'NS', name: qname, ttl, class: 'IN', data: ns }] : [],
          extra: glue,
        };
      }
      return 'nameError' in chain('A') ? { nameError: true } : { records: [] };
    default: {
      // "Do a fake A lookup, so we can distinguish between NODATA and NXDOMAIN".
      const fake = chain('A');
      return 'nameError' in fake ? fake : { records: [] };
    }
  }
}

/** The reply to one question. `qname` keeps the question's spelling (owner names echo it). */
export function answerQuestion(
  view: ClusterView,
  question: { readonly name: string; readonly type: string },
  opts: AnswerOptions = DEFAULT_ANSWER_OPTIONS,
): Reply {
  const qname = question.name.replace(/\.$/, '');
  const name = canonical(qname);
  const domain = canonical(opts.domain);
  const zone = matchZone(name, [domain, ...FALLTHROUGH_ZONES]);
  if (zone === undefined) return FORWARD_FAILED;
  const ctx: Ctx = { view, opts: { ...opts, domain }, zoneName: qname.slice(qname.length - zone.length) };
  const outcome = lookupType(ctx, qname, name, zone, question.type);
  if ('rcode' in outcome) return outcome;
  if ('nameError' in outcome) {
    if (FALLTHROUGH_ZONES.includes(zone)) return FORWARD_FAILED;
    return backendError(ctx, view.synced ? 'NXDOMAIN' : 'SERVFAIL');
  }
  if (outcome.records.length === 0) return backendError(ctx, 'NOERROR');
  return reply('NOERROR', outcome.records, outcome.extra ?? []);
}
