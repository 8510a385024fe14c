// The columns `kubectl get` prints per kind (the apiserver's table conversion, printers.go), default and
// `-o wide`.
import { podDisplayStatus, podRestarts } from '../../model/pods.ts';
import type {
  ApiObject,
  Deployment,
  EndpointSlice,
  Endpoints,
  Node,
  Pod,
  ReplicaSet,
  Secret,
  Service,
} from '../../model/types.ts';
import { age } from './age.ts';

export interface Columns {
  readonly headers: readonly string[];
  readonly wideHeaders: readonly string[];
  row(obj: ApiObject, now: number): { cells: string[]; wide: string[] };
}

const none = (v: string | undefined): string => (v === undefined || v === '' ? '<none>' : v);
const selectorText = (sel: Record<string, string> | undefined): string =>
  sel && Object.keys(sel).length
    ? Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';

function podRow(pod: Pod, now: number): { cells: string[]; wide: string[] } {
  const statuses = pod.status.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  const total = pod.spec.containers.length;
  const restarts = podRestarts(pod);
  const last = statuses[0]?.['lastState'] as { terminated?: { finishedAt?: string } } | undefined;
  const restartText =
    restarts > 0 && last?.terminated?.finishedAt
      ? `${restarts} (${age(last.terminated.finishedAt, now)} ago)`
      : String(restarts);
  return {
    cells: [
      `${ready}/${total}`,
      podDisplayStatus(pod),
      restartText,
      age(pod.metadata.creationTimestamp, now),
    ],
    wide: [none(pod.status.podIP), none(pod.spec.nodeName), '<none>', '<none>'],
  };
}

function portsText(svc: Service): string {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`))
    .join(',');
}

function serviceRow(svc: Service, now: number): { cells: string[]; wide: string[] } {
  const type = svc.spec.type;
  const clusterIP = type === 'ExternalName' ? '<none>' : none(svc.spec.clusterIP);
  const externals = svc.spec.externalIPs ?? [];
  const lb =
    (svc.status['loadBalancer'] as { ingress?: { ip?: string }[] } | undefined)?.ingress?.map(
      (i) => i.ip ?? '',
    ) ?? [];
  let external = externals.length ? externals.join(',') : '<none>';
  if (type === 'ExternalName') external = svc.spec.externalName ?? '<none>';
  if (type === 'LoadBalancer') external = lb.length ? [...lb, ...externals].join(',') : '<pending>';
  return {
    cells: [type, clusterIP, external, portsText(svc), age(svc.metadata.creationTimestamp, now)],
    wide: [selectorText(svc.spec.selector)],
  };
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function images(template: Pod['spec']): [string, string] {
  return [
    template.containers.map((c) => c.name).join(','),
    template.containers.map((c) => c.image).join(','),
  ];
}

function deploymentRow(d: Deployment, now: number): { cells: string[]; wide: string[] } {
  const s = d.status;
  return {
    cells: [
      `${num(s['readyReplicas'])}/${d.spec.replicas}`,
      String(num(s['updatedReplicas'])),
      String(num(s['availableReplicas'])),
      age(d.metadata.creationTimestamp, now),
    ],
    wide: [...images(d.spec.template.spec), selectorText(d.spec.selector.matchLabels)],
  };
}

function replicaSetRow(rs: ReplicaSet, now: number): { cells: string[]; wide: string[] } {
  return {
    cells: [
      String(rs.spec.replicas),
      String(num(rs.status['replicas'])),
      String(num(rs.status['readyReplicas'])),
      age(rs.metadata.creationTimestamp, now),
    ],
    wide: [...images(rs.spec.template.spec), selectorText(rs.spec.selector.matchLabels)],
  };
}

function listWithMore(items: string[]): string {
  if (items.length === 0) return '<none>';
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}

function endpointsRow(ep: Endpoints, now: number): { cells: string[]; wide: string[] } {
  const items = (ep.subsets ?? []).flatMap((s) =>
    (s.addresses ?? []).flatMap((a) => (s.ports.length ? s.ports.map((p) => `${a.ip}:${p.port}`) : [a.ip])),
  );
  return { cells: [listWithMore(items), age(ep.metadata.creationTimestamp, now)], wide: [] };
}

function sliceRow(slice: EndpointSlice, now: number): { cells: string[]; wide: string[] } {
  const ports = slice.ports.length ? slice.ports.map((p) => String(p.port)).join(',') : '<unset>';
  const ready = slice.endpoints.filter((e) => e.conditions.ready).flatMap((e) => e.addresses);
  return {
    cells: [
      slice.addressType,
      ports,
      ready.length ? listWithMore(ready) : '<unset>',
      age(slice.metadata.creationTimestamp, now),
    ],
    wide: [],
  };
}

function nodeRow(node: Node, now: number): { cells: string[]; wide: string[] } {
  const ready = node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  const addr = (type: string): string => none(node.status.addresses.find((a) => a.type === type)?.address);
  const info = node.status.nodeInfo;
  return {
    cells: [
      ready ? 'Ready' : 'NotReady',
      roles.length ? roles.join(',') : '<none>',
      age(node.metadata.creationTimestamp, now),
      info.kubeletVersion,
    ],
    wide: [
      addr('InternalIP'),
      addr('ExternalIP'),
      info.osImage,
      info.kernelVersion,
      info.containerRuntimeVersion,
    ],
  };
}

function secretRow(secret: Secret, now: number): { cells: string[]; wide: string[] } {
  return {
    cells: [
      secret.type,
      String(Object.keys(secret.data ?? {}).length),
      age(secret.metadata.creationTimestamp, now),
    ],
    wide: [],
  };
}

function namespaceRow(obj: ApiObject, now: number): { cells: string[]; wide: string[] } {
  const phase = obj.kind === 'Namespace' ? obj.status.phase : '';
  return { cells: [phase, age(obj.metadata.creationTimestamp, now)], wide: [] };
}

export const COLUMNS: Readonly<Record<string, Columns>> = {
  Pod: {
    headers: ['READY', 'STATUS', 'RESTARTS', 'AGE'],
    wideHeaders: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    row: (o, n) => podRow(o as Pod, n),
  },
  Service: {
    headers: ['TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['SELECTOR'],
    row: (o, n) => serviceRow(o as Service, n),
  },
  Deployment: {
    headers: ['READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, n) => deploymentRow(o as Deployment, n),
  },
  ReplicaSet: {
    headers: ['DESIRED', 'CURRENT', 'READY', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, n) => replicaSetRow(o as ReplicaSet, n),
  },
  Endpoints: {
    headers: ['ENDPOINTS', 'AGE'],
    wideHeaders: [],
    row: (o, n) => endpointsRow(o as Endpoints, n),
  },
  EndpointSlice: {
    headers: ['ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    wideHeaders: [],
    row: (o, n) => sliceRow(o as EndpointSlice, n),
  },
  Node: {
    headers: ['STATUS', 'ROLES', 'AGE', 'VERSION'],
    wideHeaders: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    row: (o, n) => nodeRow(o as Node, n),
  },
  Secret: { headers: ['TYPE', 'DATA', 'AGE'], wideHeaders: [], row: (o, n) => secretRow(o as Secret, n) },
  Namespace: { headers: ['STATUS', 'AGE'], wideHeaders: [], row: namespaceRow },
};

export interface TableOptions {
  readonly wide: boolean;
  readonly withNamespace: boolean;
  readonly kindPrefix?: string;
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
}

/** Rows (header first) for objects of one kind. */
export function tableRows(
  kind: string,
  objects: readonly ApiObject[],
  now: number,
  options: TableOptions,
): string[][] {
  const columns = COLUMNS[kind];
  if (!columns) throw new Error(`no table columns for ${kind}`);
  const header = [
    ...(options.withNamespace ? ['NAMESPACE'] : []),
    'NAME',
    ...columns.headers,
    ...(options.wide ? columns.wideHeaders : []),
    ...(options.showLabels ? ['LABELS'] : []),
  ];
  const rows = objects.map((obj) => {
    const { cells, wide } = columns.row(obj, now);
    const labels =
      obj.metadata.labels && Object.keys(obj.metadata.labels).length
        ? Object.entries(obj.metadata.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')
        : '<none>';
    return [
      ...(options.withNamespace ? [obj.metadata.namespace ?? ''] : []),
      `${options.kindPrefix ? `${options.kindPrefix}/` : ''}${obj.metadata.name}`,
      ...cells,
      ...(options.wide ? wide : []),
      ...(options.showLabels ? [labels] : []),
    ];
  });
  return options.noHeaders ? rows : [header, ...rows];
}
