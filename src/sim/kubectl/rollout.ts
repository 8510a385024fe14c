// kubectl rollout status deployment/NAME: the progress lines kubectl prints until all replicas are
// updated and available, or `error: timed out waiting for the condition` after --timeout.
import type { Deployment } from '../model/types.ts';
import { flag, KubectlError, parseDuration, rejectFlags } from './args.ts';
import { namespaceOf, sleep, withCluster, type KubectlContext } from './context.ts';

export async function rolloutCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'rollout', ['timeout', 'watch']);
  const [sub, ref, maybeName] = args.positionals;
  if (sub !== 'status')
    throw new KubectlError(
      `error: the simulated kubectl supports only "rollout status", not "rollout ${sub ?? ''}"`,
    );
  const [kind, name] = ref?.includes('/') ? ref.split('/') : [ref, maybeName];
  if (!kind || !name || !/^(deploy|deployment|deployments)(\.apps)?$/.test(kind))
    throw new KubectlError('error: rollout status needs deployment/NAME');
  const namespace = namespaceOf(args);
  const timeoutText = flag(args, 'timeout');
  const timeoutMs = timeoutText ? parseDuration(timeoutText, 'timeout') : 600_000;
  const deadline = Date.now() + (timeoutMs === 0 ? 600_000 : timeoutMs);
  let last = '';
  for (;;) {
    const d = await withCluster(ctx, (state) =>
      structuredClone(
        state.deployments.find((x) => x.metadata.name === name && x.metadata.namespace === namespace),
      ),
    );
    if (!d) throw new KubectlError(`Error from server (NotFound): deployments.apps "${name}" not found`);
    const { line, done } = progress(d);
    if (line !== last) ctx.out(line);
    last = line;
    if (done) return 0;
    if (Date.now() > deadline) throw new KubectlError('error: timed out waiting for the condition');
    await sleep(100);
  }
}

function progress(d: Deployment): { line: string; done: boolean } {
  const n = (k: string): number => (typeof d.status[k] === 'number' ? (d.status[k] as number) : 0);
  const want = d.spec.replicas;
  const name = d.metadata.name;
  if (n('updatedReplicas') < want)
    return {
      line: `Waiting for deployment "${name}" rollout to finish: ${n('updatedReplicas')} out of ${want} new replicas have been updated...\n`,
      done: false,
    };
  if (n('replicas') > n('updatedReplicas'))
    return {
      line: `Waiting for deployment "${name}" rollout to finish: ${n('replicas') - n('updatedReplicas')} old replicas are pending termination...\n`,
      done: false,
    };
  if (n('availableReplicas') < n('updatedReplicas'))
    return {
      line: `Waiting for deployment "${name}" rollout to finish: ${n('availableReplicas')} of ${n('updatedReplicas')} updated replicas are available...\n`,
      done: false,
    };
  return { line: `deployment "${name}" successfully rolled out\n`, done: true };
}
