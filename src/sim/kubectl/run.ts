// kubectl run NAME --image=IMG [--restart=Never] [--rm] [-i] [-t] [-- CMD...]: creates a bare pod. Detached,
// it prints `pod/NAME created` and the pod runs its command in simulated time; attached (-i), kubectl waits
// for Running, runs the command with this process's stdin, streams the output, and with --rm deletes the pod
// (`pod "NAME" deleted`). With --restart=Never a failing command's exit code becomes kubectl's.
import { deleteObject } from '../model/api.ts';
import { createPod, findPod } from '../model/pods.ts';
import type { PodSpec } from '../model/types.ts';
import { newPodSession, podContext } from '../pod-shell.ts';
import { boolFlag, flag, KubectlError, parseDuration, rejectFlags } from './args.ts';
import { namespaceOf, sleep, withCluster, type KubectlContext } from './context.ts';
import { clusterAccess } from './exec.ts';

function parseLabels(text: string | undefined, name: string): Record<string, string> {
  if (!text) return { run: name };
  return Object.fromEntries(text.split(',').map((kv) => kv.split('=') as [string, string]));
}

export async function runCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'run', [
    'image',
    'restart',
    'rm',
    'stdin',
    'tty',
    'labels',
    'port',
    'env',
    'command',
    'image-pull-policy',
    'pod-running-timeout',
    'attach',
    'quiet',
    'leave-stdin-open',
    'expose',
  ]);
  const [name, ...positionalArgs] = args.positionals;
  if (!name)
    throw new KubectlError("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  const image = flag(args, 'image');
  if (!image) throw new KubectlError('error: --image is required');
  const restart = flag(args, 'restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart))
    throw new KubectlError(`error: invalid restart policy: ${restart}`);
  const interactive = boolFlag(args, 'stdin') || boolFlag(args, 'attach');
  const remove = boolFlag(args, 'rm');
  if (remove && !interactive)
    throw new KubectlError('error: --rm should only be used for attached containers');
  const namespace = namespaceOf(args);
  const envFlags = args.flags.get('env');
  const commandWords = [...positionalArgs, ...(args.rest ?? [])];
  const container: PodSpec['containers'][number] = {
    name,
    image,
    ...(boolFlag(args, 'command')
      ? { command: commandWords }
      : commandWords.length
        ? { args: commandWords }
        : {}),
    ...(flag(args, 'port')
      ? { ports: [{ containerPort: Number(flag(args, 'port')), protocol: 'TCP' }] }
      : {}),
    ...(envFlags
      ? {
          env: envFlags.map((kv) => ({
            name: kv.split('=')[0] ?? '',
            value: kv.split('=').slice(1).join('='),
          })),
        }
      : {}),
    ...(interactive ? { stdin: true, stdinOnce: true, tty: boolFlag(args, 'tty') } : {}),
  };
  const created = await withCluster(ctx, (state, now) => {
    if (findPod(state, namespace, name))
      throw new KubectlError(`Error from server (AlreadyExists): pods "${name}" already exists`);
    return structuredClone(
      createPod(
        state,
        {
          name,
          namespace,
          labels: parseLabels(flag(args, 'labels'), name),
          spec: { containers: [container], restartPolicy: restart },
          attached: interactive,
        },
        now,
      ),
    );
  });
  if (!interactive) {
    ctx.out(`pod/${name} created\n`);
    return 0;
  }
  if (boolFlag(args, 'tty') && !process.stdin.isTTY)
    ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const deadline =
    Date.now() + parseDuration(flag(args, 'pod-running-timeout') ?? '1m', 'pod-running-timeout');
  let state = await withCluster(ctx, (st) => structuredClone(st));
  while (findPod(state, namespace, name)?.object.status.phase !== 'Running') {
    if (Date.now() > deadline) throw new KubectlError(`error: timed out waiting for the condition`);
    await sleep(Math.max(20, Math.min(200, created.runtime.startAt - Date.now())));
    state = await withCluster(ctx, (st) => structuredClone(st));
  }
  const pod = findPod(state, namespace, name);
  if (!pod) throw new KubectlError(`Error from server (NotFound): pods "${name}" not found`);
  const context = podContext(state, pod, clusterAccess(ctx.stateFile));
  const session = newPodSession(context);
  const io = {
    stdin: '',
    out: { write: (t: string) => ctx.out(t) },
    err: { write: (t: string) => ctx.err(t) },
  };
  const stdin = await ctx.readStdin();
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  // busybox's default command is `sh`, which reads its script from the attached stdin.
  const script =
    argv.length === 0 || (argv.length === 1 && /^(\/bin\/)?(ba)?sh$/.test(argv[0] ?? '')) ? stdin : undefined;
  const code =
    script !== undefined
      ? await session.runScript(script, io)
      : await session.runScript(argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), { ...io, stdin });
  await withCluster(ctx, (st, now) => {
    const stored = findPod(st, namespace, name);
    if (!stored) return;
    stored.runtime.script = {
      argv,
      state: 'done',
      exitCode: code,
      durationMs: Math.max(0, now - stored.runtime.startAt) + session.virtualMs,
    };
    // The container has exited: nothing is left to stop, so the pod object goes at once.
    if (remove) deleteObject(st, 'Pod', namespace, name, now, 0);
  });
  if (remove) ctx.out(`pod "${name}" deleted\n`);
  if (code !== 0 && restart === 'Never') {
    ctx.err(`pod ${namespace}/${name} terminated (Error)\n`);
    return code;
  }
  return 0;
}
