// What the cluster DNS knows of the cluster: the services, the endpoints (from EndpointSlices, as CoreDNS
// reads them since 1.8) and the namespaces, indexed for lookups by name and by address. The schemas are
// deliberately looser than the apiserver's own (src/sim/model/types.ts): the server parses whatever the
// API sends, and a field it does not use must never make a whole LIST fail.
import { z } from 'zod';

const MetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const DnsServiceSchema = z.looseObject({
  metadata: MetaSchema,
  spec: z.looseObject({
    type: z.string().optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    ports: z
      .array(
        z.looseObject({ name: z.string().optional(), port: z.number(), protocol: z.string().optional() }),
      )
      .optional(),
  }),
});
export type DnsService = z.infer<typeof DnsServiceSchema>;

export const DnsEndpointSliceSchema = z.looseObject({
  metadata: MetaSchema,
  addressType: z.string().optional(),
  endpoints: z
    .array(
      z.looseObject({
        addresses: z.array(z.string()),
        conditions: z.looseObject({ ready: z.boolean().optional() }).optional(),
        hostname: z.string().optional(),
      }),
    )
    .nullish(),
  ports: z
    .array(
      z.looseObject({
        name: z.string().optional(),
        port: z.number().optional(),
        protocol: z.string().optional(),
      }),
    )
    .nullish(),
});
export type DnsEndpointSlice = z.infer<typeof DnsEndpointSliceSchema>;

/** The label that ties an EndpointSlice to its Service (discovery.k8s.io/v1). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ClusterData {
  readonly services: readonly DnsService[];
  readonly endpointSlices: readonly DnsEndpointSlice[];
  readonly namespaces: readonly string[];
  /** Unix seconds of the last change: the SOA serial, as CoreDNS's kubernetes plugin uses. */
  readonly modified: number;
  /** False until the first LIST of everything has arrived (CoreDNS answers SERVFAIL, not NXDOMAIN). */
  readonly synced: boolean;
}

export interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

export interface ServiceEntry {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  /** ClusterIPs, `['None']` for a headless service, `['']` for an ExternalName one (as CoreDNS's object). */
  readonly clusterIPs: readonly string[];
  readonly externalName: string;
  readonly ports: readonly ServicePort[];
}

export interface EndpointAddress {
  readonly ip: string;
  readonly hostname: string;
}

/** One EndpointSlice as CoreDNS converts it: ready addresses only, a port -1 sentinel if it has none. */
export interface EndpointsEntry {
  readonly service: string;
  readonly namespace: string;
  readonly addresses: readonly EndpointAddress[];
  readonly ports: readonly ServicePort[];
}

export interface ClusterView {
  readonly services: ReadonlyMap<string, ServiceEntry>;
  /** `<ns>/<svc>` → the slices of that service. */
  readonly endpoints: ReadonlyMap<string, readonly EndpointsEntry[]>;
  readonly namespaces: ReadonlySet<string>;
  readonly modified: number;
  readonly synced: boolean;
}

export const serviceKey = (name: string, namespace: string): string => `${namespace}/${name}`;

export const isHeadless = (s: ServiceEntry): boolean => s.clusterIPs[0] === 'None';

function toServiceEntry(s: DnsService): ServiceEntry {
  const spec = s.spec;
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP ?? ''];
  return {
    name: s.metadata.name,
    namespace: s.metadata.namespace ?? 'default',
    type: spec.type ?? 'ClusterIP',
    clusterIPs: ips,
    externalName: spec.externalName ?? '',
    ports: (spec.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}

function toEndpointsEntry(e: DnsEndpointSlice): EndpointsEntry | undefined {
  const service = e.metadata.labels?.[SERVICE_NAME_LABEL];
  if (service === undefined) return undefined;
  const ports = e.ports?.length
    ? e.ports.map((p) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? '' }))
    : [{ name: '', port: -1, protocol: '' }];
  const addresses = (e.endpoints ?? [])
    // A missing `ready` counts as ready (discovery/v1: "nil should be interpreted as true").
    .filter((end) => end.conditions?.ready !== false)
    .flatMap((end) => end.addresses.map((ip) => ({ ip, hostname: end.hostname ?? '' })));
  return { service, namespace: e.metadata.namespace ?? 'default', addresses, ports };
}

export function buildView(data: ClusterData): ClusterView {
  const services = new Map<string, ServiceEntry>();
  for (const s of data.services) {
    const entry = toServiceEntry(s);
    services.set(serviceKey(entry.name, entry.namespace), entry);
  }
  const endpoints = new Map<string, EndpointsEntry[]>();
  for (const slice of data.endpointSlices) {
    const entry = toEndpointsEntry(slice);
    if (!entry) continue;
    const key = serviceKey(entry.service, entry.namespace);
    endpoints.set(key, [...(endpoints.get(key) ?? []), entry]);
  }
  return {
    services,
    endpoints,
    namespaces: new Set(data.namespaces),
    modified: data.modified,
    synced: data.synced,
  };
}
