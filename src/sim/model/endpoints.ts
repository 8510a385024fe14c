// The endpoints and EndpointSlice controllers: for every Service with a selector, the matching pods of its
// namespace that have an IP. Ready pods are `addresses` (and ready endpoints in the slice); running pods
// that are not ready are `notReadyAddresses`; Terminating pods leave Endpoints at once and stay in the
// slice as terminating until they are gone. A service without a selector keeps the Endpoints it was given.
import { matchesSelector, newMeta, touch } from './meta.ts';
import { randomSuffix } from './names.ts';
import { isPodReady } from './pods.ts';
import type { ClusterState, StoredPod } from './state.ts';
import type { EndpointAddress, EndpointSlice, Endpoints, Service } from './types.ts';

function resolveTargetPort(service: Service, portIndex: number, pod: StoredPod): number | undefined {
  const port = service.spec.ports?.[portIndex];
  if (!port) return undefined;
  if (typeof port.targetPort === 'number') return port.targetPort;
  const asNumber = Number(port.targetPort);
  if (Number.isInteger(asNumber)) return asNumber;
  for (const c of pod.object.spec.containers) {
    const named = c.ports?.find((p) => p.name === port.targetPort);
    if (named) return named.containerPort;
  }
  return undefined;
}

function address(pod: StoredPod): EndpointAddress {
  const meta = pod.object.metadata;
  return {
    ip: pod.runtime.ip,
    ...(pod.object.spec.nodeName ? { nodeName: pod.object.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', name: meta.name, namespace: meta.namespace ?? 'default', uid: meta.uid },
  };
}

const byIp = (a: { ip: string }, b: { ip: string }): number =>
  a.ip.localeCompare(b.ip, 'en', { numeric: true });

function selectedPods(state: ClusterState, service: Service): StoredPod[] {
  const selector = service.spec.selector ?? {};
  return state.pods.filter(
    (p) =>
      p.object.metadata.namespace === service.metadata.namespace &&
      matchesSelector(p.object.metadata.labels, selector) &&
      p.object.status.podIP !== undefined &&
      p.object.status.phase === 'Running',
  );
}

function desiredSubsets(service: Service, pods: StoredPod[]): NonNullable<Endpoints['subsets']> {
  const live = pods.filter((p) => !p.object.metadata.deletionTimestamp);
  const first = live[0];
  if (!first) return [];
  const ports = (service.spec.ports ?? []).map((p, i) => ({
    ...(p.name ? { name: p.name } : {}),
    port: resolveTargetPort(service, i, first) ?? 0,
    protocol: p.protocol,
  }));
  const ready = live
    .filter((p) => isPodReady(p.object))
    .map(address)
    .sort(byIp);
  const notReady = live
    .filter((p) => !isPodReady(p.object))
    .map(address)
    .sort(byIp);
  return [
    {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ports,
    },
  ];
}

function desiredSlice(service: Service, pods: StoredPod[]): Pick<EndpointSlice, 'endpoints' | 'ports'> {
  return {
    endpoints: pods.map((p) => {
      const terminating = !!p.object.metadata.deletionTimestamp;
      const ready = !terminating && isPodReady(p.object);
      const meta = p.object.metadata;
      return {
        addresses: [p.runtime.ip],
        conditions: { ready, serving: isPodReady(p.object) || (terminating && ready), terminating },
        ...(p.object.spec.nodeName ? { nodeName: p.object.spec.nodeName } : {}),
        targetRef: { kind: 'Pod', name: meta.name, namespace: meta.namespace ?? 'default', uid: meta.uid },
      };
    }),
    ports: (service.spec.ports ?? []).map((p, i) => ({
      name: p.name ?? '',
      port: pods[0] ? (resolveTargetPort(service, i, pods[0]) ?? 0) : 0,
      protocol: p.protocol,
    })),
  };
}

export function syncEndpoints(state: ClusterState, now: number): void {
  const managed = state.services.filter((s) => s.spec.selector && s.spec.type !== 'ExternalName');
  const key = (ns: string | undefined, name: string): string => `${ns ?? 'default'}/${name}`;
  const managedKeys = new Set(managed.map((s) => key(s.metadata.namespace, s.metadata.name)));
  const serviceKeys = new Set(state.services.map((s) => key(s.metadata.namespace, s.metadata.name)));
  // Endpoints of deleted services go with them; endpoints of selector-less services are left alone.
  state.endpoints = state.endpoints.filter((e) =>
    serviceKeys.has(key(e.metadata.namespace, e.metadata.name)),
  );
  state.endpointSlices = state.endpointSlices.filter((e) => {
    const owner = e.metadata.labels?.['kubernetes.io/service-name'];
    return owner !== undefined && managedKeys.has(key(e.metadata.namespace, owner));
  });
  for (const service of managed) {
    const pods = selectedPods(state, service);
    const ns = service.metadata.namespace ?? 'default';
    const subsets = desiredSubsets(service, pods);
    let ep = state.endpoints.find(
      (e) => e.metadata.namespace === ns && e.metadata.name === service.metadata.name,
    );
    if (!ep) {
      ep = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: newMeta(state, now, {
          name: service.metadata.name,
          namespace: ns,
          labels: service.metadata.labels ?? {},
        }),
        subsets,
      };
      state.endpoints.push(ep);
    } else if (JSON.stringify(ep.subsets ?? []) !== JSON.stringify(subsets)) {
      ep.subsets = subsets;
      touch(state, ep.metadata);
    }
    const slice = desiredSlice(service, pods);
    let existing = state.endpointSlices.find(
      (e) =>
        e.metadata.namespace === ns &&
        e.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name,
    );
    if (!existing) {
      existing = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          ...newMeta(state, now, {
            name: `${service.metadata.name}-${randomSuffix()}`,
            namespace: ns,
            labels: {
              ...(service.metadata.labels ?? {}),
              'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
              'kubernetes.io/service-name': service.metadata.name,
            },
          }),
          generateName: `${service.metadata.name}-`,
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              name: service.metadata.name,
              uid: service.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        addressType: 'IPv4',
        ...slice,
      };
      state.endpointSlices.push(existing);
    } else if (
      JSON.stringify({ e: existing.endpoints, p: existing.ports }) !==
      JSON.stringify({ e: slice.endpoints, p: slice.ports })
    ) {
      existing.endpoints = slice.endpoints;
      existing.ports = slice.ports;
      touch(state, existing.metadata);
    }
  }
}

/** Ready endpoint IPs of a service port (what kube-proxy programs), with the pod port to reach. */
export function readyEndpoints(
  state: ClusterState,
  service: Service,
  servicePort: number,
): { ip: string; port: number }[] {
  const ns = service.metadata.namespace ?? 'default';
  const ep = state.endpoints.find(
    (e) => e.metadata.namespace === ns && e.metadata.name === service.metadata.name,
  );
  const index = (service.spec.ports ?? []).findIndex((p) => p.port === servicePort);
  const portName = service.spec.ports?.[index]?.name;
  const out: { ip: string; port: number }[] = [];
  for (const subset of ep?.subsets ?? []) {
    const port = subset.ports.find((p) => (portName ? p.name === portName : true)) ?? subset.ports[index];
    if (!port) continue;
    for (const a of subset.addresses ?? []) out.push({ ip: a.ip, port: port.port });
  }
  return out;
}
