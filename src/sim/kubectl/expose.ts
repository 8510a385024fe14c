// kubectl expose deployment|pod|service NAME --port=P [--target-port] [--type] [--name]: a Service whose
// selector is the exposed object's (a Deployment's matchLabels, a pod's labels).
import { applyObject } from '../model/api.ts';
import { findPod } from '../model/pods.ts';
import { flag, KubectlError, rejectFlags } from './args.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';

export async function exposeCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'expose', [
    'port',
    'target-port',
    'type',
    'name',
    'protocol',
    'selector',
    'session-affinity',
    'labels',
    'external-ip',
    'cluster-ip',
    'load-balancer-ip',
  ]);
  const [ref, maybeName] = args.positionals;
  const [kind, name] = ref?.includes('/') ? ref.split('/') : [ref, maybeName];
  if (!kind || !name)
    throw new KubectlError('error: You must provide one or more resources by argument or filename.');
  const namespace = namespaceOf(args);
  const serviceName = flag(args, 'name') ?? name;
  const line = await withCluster(ctx, (state, now) => {
    let selector: Record<string, string> | undefined;
    let port = flag(args, 'port');
    if (/^(deploy|deployment|deployments)(\.apps)?$/.test(kind)) {
      const d = state.deployments.find((x) => x.metadata.name === name && x.metadata.namespace === namespace);
      if (!d) throw new KubectlError(`Error from server (NotFound): deployments.apps "${name}" not found`);
      selector = d.spec.selector.matchLabels;
      port ??= d.spec.template.spec.containers[0]?.ports?.[0]?.containerPort?.toString();
    } else if (/^(po|pod|pods)$/.test(kind)) {
      const p = findPod(state, namespace, name);
      if (!p) throw new KubectlError(`Error from server (NotFound): pods "${name}" not found`);
      selector = p.object.metadata.labels;
      port ??= p.object.spec.containers[0]?.ports?.[0]?.containerPort?.toString();
    } else if (/^(svc|service|services)$/.test(kind)) {
      const s = state.services.find((x) => x.metadata.name === name && x.metadata.namespace === namespace);
      if (!s) throw new KubectlError(`Error from server (NotFound): services "${name}" not found`);
      selector = s.spec.selector;
      port ??= s.spec.ports?.[0]?.port?.toString();
    } else throw new KubectlError(`error: cannot expose a ${kind}`);
    if (!selector || Object.keys(selector).length === 0)
      throw new KubectlError(
        `error: couldn't retrieve selectors via --selector flag or introspection: the ${kind} has no labels`,
      );
    if (!port)
      throw new KubectlError(
        "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples",
      );
    if (state.services.some((s) => s.metadata.name === serviceName && s.metadata.namespace === namespace))
      throw new KubectlError(`Error from server (AlreadyExists): services "${serviceName}" already exists`);
    const target = flag(args, 'target-port');
    const doc = {
      metadata: { name: serviceName, labels: selector },
      spec: {
        type: flag(args, 'type') ?? 'ClusterIP',
        selector,
        ports: [
          {
            port: Number(port),
            protocol: flag(args, 'protocol') ?? 'TCP',
            targetPort: target === undefined ? Number(port) : /^\d+$/.test(target) ? Number(target) : target,
          },
        ],
        ...(flag(args, 'session-affinity') ? { sessionAffinity: flag(args, 'session-affinity') } : {}),
      },
    };
    applyObject(state, 'Service', doc, namespace, now, undefined);
    return `service/${serviceName} exposed\n`;
  });
  ctx.out(line);
  return 0;
}
