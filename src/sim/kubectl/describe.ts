// kubectl describe (basics): the main fields of pods, services, deployments and nodes in kubectl's
// "Key:  value" layout. Events are not simulated (`Events:  <none>`).
import { podDisplayStatus } from '../model/pods.ts';
import type { ClusterState } from '../model/state.ts';
import type { ApiObject, Deployment, Node, Pod, Service } from '../model/types.ts';
import { KubectlError, rejectFlags } from './args.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';
import { readyEndpoints } from '../model/endpoints.ts';
import { parseResourceArgs } from './resources.ts';

const kv = (m: Record<string, string> | undefined, indent: number): string =>
  m && Object.keys(m).length
    ? Object.entries(m)
        .map(([k, v], i) => `${i === 0 ? '' : ' '.repeat(indent)}${k}=${v}`)
        .join('\n')
    : '<none>';

function lines(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 2;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join('');
}

function describePod(p: Pod): string {
  const c = p.spec.containers[0];
  return (
    lines([
      ['Name', p.metadata.name],
      ['Namespace', p.metadata.namespace ?? 'default'],
      ['Node', `${p.spec.nodeName ?? '<none>'}/${p.status.hostIP ?? ''}`],
      [
        'Start Time',
        p.status.startTime ? new Date(p.status.startTime).toUTCString().replace('GMT', '+0000') : '<none>',
      ],
      ['Labels', kv(p.metadata.labels, 14)],
      ['Status', p.metadata.deletionTimestamp ? 'Terminating' : p.status.phase],
      ['IP', p.status.podIP ?? ''],
      [
        'Controlled By',
        p.metadata.ownerReferences?.[0]
          ? `${p.metadata.ownerReferences[0].kind}/${p.metadata.ownerReferences[0].name}`
          : '<none>',
      ],
    ]) +
    `Containers:\n  ${c?.name ?? ''}:\n    Image:          ${c?.image ?? ''}\n    Port:           ${c?.ports?.[0] ? `${c.ports[0].containerPort}/${c.ports[0].protocol ?? 'TCP'}` : '<none>'}\n    State:          ${podDisplayStatus(p)}\n    Ready:          ${p.status.containerStatuses?.[0]?.ready ? 'True' : 'False'}\n    Restart Count:  ${p.status.containerStatuses?.[0]?.restartCount ?? 0}\nConditions:\n  Type              Status\n${(p.status.conditions ?? []).map((x) => `  ${x.type.padEnd(18)}${x.status}\n`).join('')}Events:            <none>\n`
  );
}

function describeService(state: ClusterState, s: Service): string {
  const port = s.spec.ports?.[0];
  const eps = port ? readyEndpoints(state, s, port.port).map((e) => `${e.ip}:${e.port}`) : [];
  return lines([
    ['Name', s.metadata.name],
    ['Namespace', s.metadata.namespace ?? 'default'],
    ['Labels', kv(s.metadata.labels, 19)],
    ['Annotations', '<none>'],
    [
      'Selector',
      s.spec.selector
        ? Object.entries(s.spec.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')
        : '<none>',
    ],
    ['Type', s.spec.type],
    ['IP Family Policy', 'SingleStack'],
    ['IP Families', 'IPv4'],
    ['IP', s.spec.clusterIP ?? '<none>'],
    ['IPs', s.spec.clusterIP ?? '<none>'],
    ...(s.spec.ports ?? []).flatMap((p): [string, string][] => [
      ['Port', `${p.name ?? '<unset>'}  ${p.port}/${p.protocol}`],
      ['TargetPort', `${p.targetPort}/${p.protocol}`],
      ...(p.nodePort
        ? [['NodePort', `${p.name ?? '<unset>'}  ${p.nodePort}/${p.protocol}`] as [string, string]]
        : []),
      ['Endpoints', eps.length ? eps.join(',') : '<none>'],
    ]),
    ['Session Affinity', s.spec.sessionAffinity ?? 'None'],
    ['Events', '<none>'],
  ]);
}

function describeDeployment(d: Deployment): string {
  const n = (k: string): number => (typeof d.status[k] === 'number' ? (d.status[k] as number) : 0);
  const c = d.spec.template.spec.containers[0];
  return (
    lines([
      ['Name', d.metadata.name],
      ['Namespace', d.metadata.namespace ?? 'default'],
      [
        'Selector',
        Object.entries(d.spec.selector.matchLabels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      ],
      [
        'Replicas',
        `${d.spec.replicas} desired | ${n('updatedReplicas')} updated | ${n('replicas')} total | ${n('availableReplicas')} available | ${n('unavailableReplicas')} unavailable`,
      ],
      ['StrategyType', 'RollingUpdate'],
    ]) +
    `Pod Template:\n  Labels:  ${kv(d.spec.template.metadata?.labels, 11)}\n  Containers:\n   ${c?.name ?? ''}:\n    Image:        ${c?.image ?? ''}\nEvents:          <none>\n`
  );
}

function describeNode(n: Node): string {
  return lines([
    ['Name', n.metadata.name],
    [
      'Roles',
      Object.keys(n.metadata.labels ?? {})
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.split('/')[1])
        .join(',') || '<none>',
    ],
    ['Labels', kv(n.metadata.labels, 20)],
    ['PodCIDR', n.spec.podCIDR ?? ''],
    ['InternalIP', n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? ''],
    ['Ready', n.status.conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown'],
    ['Kubelet Version', n.status.nodeInfo.kubeletVersion],
    ['Events', '<none>'],
  ]);
}

export async function describeCommand(ctx: KubectlContext): Promise<number> {
  rejectFlags(ctx.args, 'describe', ['selector']);
  const requests = parseResourceArgs(ctx.args.positionals);
  if (requests.length === 0)
    throw new KubectlError(
      'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.',
    );
  const namespace = namespaceOf(ctx.args);
  const text = await withCluster(ctx, (state) => {
    const out: string[] = [];
    for (const { type, names } of requests) {
      const objects = type
        .list(state)
        .filter((o) => !type.namespaced || (o.metadata.namespace ?? 'default') === namespace);
      const picked: ApiObject[] = names.length
        ? names.map(
            (n) =>
              objects.find((o) => o.metadata.name === n || o.metadata.name.startsWith(n)) ??
              (() => {
                throw new KubectlError(`Error from server (NotFound): ${type.plural} "${n}" not found`);
              })(),
          )
        : objects;
      for (const o of picked) {
        if (o.kind === 'Pod') out.push(describePod(o as Pod));
        else if (o.kind === 'Service') out.push(describeService(state, o as Service));
        else if (o.kind === 'Deployment') out.push(describeDeployment(o as Deployment));
        else if (o.kind === 'Node') out.push(describeNode(o as Node));
        else throw new KubectlError(`error: the simulated kubectl cannot describe ${type.plural}`);
      }
    }
    return out.join('\n\n');
  });
  ctx.out(text);
  return 0;
}
