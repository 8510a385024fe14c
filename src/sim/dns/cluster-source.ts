// The cluster as the DNS server sees it: informers for services, EndpointSlices and namespaces (what
// CoreDNS's kubernetes plugin watches), folded into one ClusterView whenever any of them changes.
import type { ApiClient } from './api-client.ts';
import { Informer } from './informer.ts';
import {
  buildView,
  DnsEndpointSliceSchema,
  DnsServiceSchema,
  type ClusterView,
  type DnsEndpointSlice,
  type DnsService,
} from './view.ts';
import { z } from 'zod';

const NamespaceSchema = z.looseObject({ metadata: z.looseObject({ name: z.string() }) });

export interface ClusterSource {
  view(): ClusterView;
  stop(): Promise<void>;
}

export interface ClusterSourceOptions {
  readonly client: ApiClient;
  readonly log: (line: string) => void;
  readonly now?: () => number;
  /** Called after each change (tests wait on it). */
  readonly onChange?: (view: ClusterView) => void;
}

function parser<T>(schema: z.ZodType<T>): (o: unknown) => T | undefined {
  return (o) => {
    const r = schema.safeParse(o);
    return r.success ? r.data : undefined;
  };
}

export function watchCluster(options: ClusterSourceOptions): ClusterSource {
  const now = options.now ?? Date.now;
  let current: ClusterView = buildView({
    services: [],
    endpointSlices: [],
    namespaces: [],
    modified: Math.floor(now() / 1000),
    synced: false,
  });
  const rebuild = (): void => {
    current = buildView({
      services: [...services.items.values()],
      endpointSlices: [...slices.items.values()],
      namespaces: [...namespaces.items.values()],
      modified: Math.floor(now() / 1000),
      synced: services.synced && slices.synced && namespaces.synced,
    });
    options.onChange?.(current);
  };
  const common = { client: options.client, onChange: rebuild, log: options.log };
  const services: Informer<DnsService> = new Informer({
    ...common,
    path: '/api/v1/services',
    parse: parser(DnsServiceSchema),
  });
  const slices: Informer<DnsEndpointSlice> = new Informer({
    ...common,
    path: '/apis/discovery.k8s.io/v1/endpointslices',
    parse: parser(DnsEndpointSliceSchema),
  });
  const namespaces: Informer<string> = new Informer({
    ...common,
    path: '/api/v1/namespaces',
    parse: (o) => {
      const r = NamespaceSchema.safeParse(o);
      return r.success ? r.data.metadata.name : undefined;
    },
  });
  for (const i of [services, slices, namespaces]) i.start();
  return {
    view: () => current,
    async stop() {
      await Promise.all([services.stop(), slices.stop(), namespaces.stop()]);
    },
  };
}
