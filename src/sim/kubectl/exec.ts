// kubectl exec POD -- CMD...: runs the command in the pod's simulated shell environment, streaming its
// output; a non-zero exit prints `command terminated with exit code N` and becomes kubectl's exit code.
import { findPod } from '../model/pods.ts';
import type { ClusterState, StoredPod } from '../model/state.ts';
import { podContext, runInPod, type ClusterAccess } from '../pod-shell.ts';
import { updateState } from '../store.ts';
import { boolFlag, KubectlError, rejectFlags } from './args.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';

export function clusterAccess(stateFile: string): ClusterAccess {
  return (change) => updateState(stateFile, change);
}

/** `pod/x`, `deploy/x` (its first ready pod) or a plain pod name. */
export function resolvePodRef(state: ClusterState, namespace: string, ref: string): StoredPod {
  const [kind, name] = ref.includes('/') ? (ref.split('/') as [string, string]) : ['pod', ref];
  if (/^(deploy|deployment|deployments)(\.apps)?$/.test(kind)) {
    const deployment = state.deployments.find(
      (d) => d.metadata.name === name && d.metadata.namespace === namespace,
    );
    if (!deployment)
      throw new KubectlError(`Error from server (NotFound): deployments.apps "${name}" not found`);
    const rsUids = new Set(
      state.replicaSets
        .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid))
        .map((rs) => rs.metadata.uid),
    );
    const pod = state.pods.find(
      (p) =>
        p.object.metadata.ownerReferences?.some((o) => rsUids.has(o.uid)) &&
        p.object.status.phase === 'Running',
    );
    if (!pod) throw new KubectlError(`error: unable to find a running pod of deployment ${name}`);
    return pod;
  }
  if (!/^(po|pod|pods)$/.test(kind))
    throw new KubectlError(`error: cannot attach to ${kind}: not implemented by the simulated kubectl`);
  const pod = findPod(state, namespace, name);
  if (!pod) throw new KubectlError(`Error from server (NotFound): pods "${name}" not found`);
  return pod;
}

export async function execCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'exec', ['stdin', 'tty', 'container', 'quiet']);
  let argv = args.rest;
  const [ref, ...extra] = args.positionals;
  if (!ref) throw new KubectlError('error: pod, type/name or --filename must be specified');
  if (argv === undefined) {
    if (extra.length === 0)
      throw new KubectlError('error: you must specify at least one command for the container');
    ctx.err(
      'kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n',
    );
    argv = extra;
  }
  if (argv.length === 0)
    throw new KubectlError('error: you must specify at least one command for the container');
  if (boolFlag(args, 'tty') && !process.stdin.isTTY)
    ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const namespace = namespaceOf(args);
  const { state, pod } = await withCluster(ctx, (st) => ({
    state: structuredClone(st),
    pod: structuredClone(resolvePodRef(st, namespace, ref)),
  }));
  const phase = pod.object.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new KubectlError(
      `error: cannot exec into a container in a completed pod; current phase is ${phase}`,
    );
  if (phase !== 'Running' || (pod.object.metadata.deletionTimestamp && phase !== 'Running'))
    throw new KubectlError(
      `error: unable to upgrade connection: container not found ("${pod.object.spec.containers[0]?.name ?? ''}")`,
    );
  const stdin = boolFlag(args, 'stdin') ? await ctx.readStdin() : '';
  const context = podContext(state, pod, clusterAccess(ctx.stateFile));
  const code = await runInPod(context, argv, {
    stdin,
    out: { write: (t) => ctx.out(t) },
    err: { write: (t) => ctx.err(t) },
  });
  if (code === undefined) {
    ctx.err(
      `error: Internal error occurred: error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown\n`,
    );
    return 1;
  }
  if (code !== 0) ctx.err(`command terminated with exit code ${code}\n`);
  return code;
}
