// kubectl logs POD: what the pod's command printed (busybox `-- sh -c ...` pods). Server images print no
// access log in the simulation.
import { findPod } from '../model/pods.ts';
import { flag, KubectlError, rejectFlags } from './args.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';

export async function logsCommand(ctx: KubectlContext): Promise<number> {
  rejectFlags(ctx.args, 'logs', ['container', 'tail', 'previous', 'timestamps', 'since', 'prefix']);
  const name = ctx.args.positionals[0]?.replace(/^(pod|pods|po)\//, '');
  if (!name)
    throw new KubectlError(
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
    );
  const namespace = namespaceOf(ctx.args);
  const pod = await withCluster(ctx, (state) => structuredClone(findPod(state, namespace, name)));
  if (!pod) throw new KubectlError(`Error from server (NotFound): pods "${name}" not found`);
  if (pod.object.status.phase === 'Pending')
    throw new KubectlError(
      `Error from server (BadRequest): container "${pod.object.spec.containers[0]?.name ?? ''}" in pod "${name}" is waiting to start: ContainerCreating`,
    );
  let text = pod.runtime.logs;
  const tail = flag(ctx.args, 'tail');
  if (tail !== undefined && Number(tail) >= 0)
    text = text
      .split('\n')
      .filter((_, i, all) => i < all.length - 1 || all[i] !== '')
      .slice(-Number(tail))
      .map((l) => `${l}\n`)
      .join('');
  ctx.out(text);
  return 0;
}
