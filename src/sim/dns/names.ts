// Names as CoreDNS's kubernetes plugin reads them (plugin/kubernetes/parse.go): which zone a query is in,
// and its labels split into port, protocol, endpoint, service, namespace and `svc`/`pod`.

/** Lower case, no trailing dot: the form every lookup compares (queries may come in any case). */
export const canonical = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** The longest of `zones` that `name` is in or equal to (plugin.Zones.Matches). */
export function matchZone(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const zone of zones)
    if ((name === zone || name.endsWith(`.${zone}`)) && (best === undefined || zone.length > best.length))
      best = zone;
  return best;
}

export interface RecordRequest {
  /** `_port` of an SRV name, without the underscore; '' when absent. */
  readonly port: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly service: string;
  readonly namespace: string;
  /** '' for the zone apex or `svc`/`pod` alone (NODATA). */
  readonly podOrSvc: '' | 'svc' | 'pod';
}

const EMPTY: RecordRequest = {
  port: '',
  protocol: '',
  endpoint: '',
  service: '',
  namespace: '',
  podOrSvc: '',
};

const stripUnderscore = (s: string): string => (s.startsWith('_') ? s.slice(1) : s);

/** parseRequest of CoreDNS (without multicluster and zonal names): undefined is errInvalidRequest, which
 *  CoreDNS answers NXDOMAIN ("a query that is too long to answer", or neither `svc` nor `pod`). */
export function parseRequest(name: string, zone: string): RecordRequest | undefined {
  const base = name === zone ? '' : name.slice(0, name.length - zone.length - 1);
  if (base === '' || base === 'svc' || base === 'pod') return EMPTY;
  const segs = base.split('.');
  let last = segs.length - 1;
  const podOrSvc = segs[last];
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return undefined;
  const namespace = segs[--last];
  if (namespace === undefined) return { ...EMPTY, podOrSvc };
  const service = segs[--last];
  if (service === undefined) return { ...EMPTY, podOrSvc, namespace };
  last--;
  if (last < 0) return { ...EMPTY, podOrSvc, namespace, service };
  if (last === 0) return { ...EMPTY, podOrSvc, namespace, service, endpoint: segs[0] ?? '' };
  if (last === 1)
    return {
      ...EMPTY,
      podOrSvc,
      namespace,
      service,
      port: stripUnderscore(segs[0] ?? ''),
      protocol: stripUnderscore(segs[1] ?? ''),
    };
  return undefined;
}

/** The address of a full reverse name (`4.3.2.1.in-addr.arpa` → 1.2.3.4), undefined for a partial one
 *  (dnsutil.ExtractAddressFromReverse; IPv6 nibbles too). */
export function addressFromReverse(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255))
      return undefined;
    return parts.reverse().join('.');
  }
  if (name.endsWith('.ip6.arpa')) {
    const nibbles = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.reverse().join('');
    return (hex.match(/.{4}/g) ?? []).map((g) => g.replace(/^0{1,3}/, '')).join(':');
  }
  return undefined;
}

/** The label CoreDNS gives an endpoint without a hostname: its address with dashes (endpointHostname). */
export function endpointHostname(ip: string, hostname: string): string {
  if (hostname !== '') return hostname;
  if (ip.includes('.')) return ip.replaceAll('.', '-');
  const dashed = ip.replaceAll(':', '-');
  return dashed.endsWith('-') ? `${dashed}0` : dashed;
}
