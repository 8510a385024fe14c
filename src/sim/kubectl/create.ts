// kubectl create secret docker-registry NAME --docker-server --docker-username --docker-password
// [--docker-email], and create -f (like apply without the last-applied annotation). The simulator keeps no
// credential: stored values are digests (see model/api.ts redactSecretData).
import { applySecret, exists } from '../model/api.ts';
import { flag, KubectlError, rejectFlags } from './args.ts';
import { applyCommand } from './apply.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';

export async function createCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  const [what, type, name] = args.positionals;
  if (args.flags.has('filename') && what === undefined) return applyCommand(ctx);
  if (what !== 'secret' || type !== 'docker-registry')
    throw new KubectlError(
      `error: the simulated kubectl supports "create secret docker-registry" and "create -f", not "create ${args.positionals.join(' ')}"`,
    );
  rejectFlags(args, 'create secret docker-registry', [
    'docker-server',
    'docker-username',
    'docker-password',
    'docker-email',
    'from-literal',
  ]);
  if (!name) throw new KubectlError('error: exactly one NAME is required, got 0');
  const username = flag(args, 'docker-username');
  const password = flag(args, 'docker-password');
  if (!username || !password)
    throw new KubectlError(
      'error: missing either `--from-file` or the combination of `--docker-username`, `--docker-password` and `--docker-server`',
    );
  const server = flag(args, 'docker-server') ?? 'https://index.docker.io/v1/';
  const email = flag(args, 'docker-email');
  const namespace = namespaceOf(args);
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  const config = JSON.stringify({
    auths: { [server]: { username, password, ...(email ? { email } : {}), auth } },
  });
  await withCluster(ctx, (state, now) => {
    if (exists(state, 'Secret', namespace, name))
      throw new KubectlError(`error: failed to create secret secrets "${name}" already exists`);
    applySecret(
      state,
      {
        metadata: { name },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
      },
      namespace,
      name,
      now,
      undefined,
    );
  });
  ctx.out(`secret/${name} created\n`);
  return 0;
}
