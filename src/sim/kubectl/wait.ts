// kubectl wait --for=condition=Ready|Available|... / --for=delete / --for=jsonpath='{...}'=value, with
// --timeout (default 30s); prints `pod/x condition met` per object or `timed out waiting for the condition on pods/x`.
import { isPodReady } from '../model/pods.ts';
import type { ApiObject } from '../model/types.ts';
import { boolFlag, flag, KubectlError, parseDuration, rejectFlags } from './args.ts';
import { namespaceOf, sleep, withCluster, type KubectlContext } from './context.ts';
import { renderJsonPath } from './printers/jsonpath.ts';
import { parseResourceArgs } from './resources.ts';
import { parseSelector } from './selector.ts';

function conditionMet(obj: ApiObject, condition: string): boolean {
  const [type, wanted = 'true'] = condition.split('=');
  if (obj.kind === 'Pod' && type?.toLowerCase() === 'ready')
    return isPodReady(obj) === (wanted.toLowerCase() === 'true');
  const conditions =
    (obj as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
  const c = conditions.find((x) => x.type.toLowerCase() === type?.toLowerCase());
  return c !== undefined && c.status.toLowerCase() === wanted.toLowerCase();
}

export async function waitCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'wait', ['for', 'timeout', 'selector', 'all', 'filename']);
  const forText = flag(args, 'for');
  if (!forText) throw new KubectlError('error: --for must be specified');
  const timeoutMs = parseDuration(flag(args, 'timeout') ?? '30s', 'timeout');
  const namespace = namespaceOf(args);
  const requests = parseResourceArgs(args.positionals);
  if (requests.length === 0) throw new KubectlError('error: resource(s) must be specified');
  const selectorText = flag(args, 'selector');
  const selector = selectorText ? parseSelector(selectorText) : undefined;
  let mode:
    | { kind: 'delete' }
    | { kind: 'condition'; condition: string }
    | { kind: 'jsonpath'; path: string; value: string };
  if (forText === 'delete') mode = { kind: 'delete' };
  else if (forText.startsWith('condition='))
    mode = { kind: 'condition', condition: forText.slice('condition='.length) };
  else if (forText.startsWith('jsonpath=')) {
    const m = /^jsonpath=(\{.*\})=(.*)$/.exec(forText);
    if (!m)
      throw new KubectlError(
        `error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3`,
      );
    mode = { kind: 'jsonpath', path: m[1] ?? '', value: m[2] ?? '' };
  } else throw new KubectlError(`error: unrecognized condition: "${forText}"`);
  const deadline = Date.now() + timeoutMs;
  const initial = await withCluster(ctx, (state) =>
    requests.flatMap(({ type, names }) => {
      const objects = type
        .list(state)
        .filter((o) => !type.namespaced || (o.metadata.namespace ?? 'default') === namespace);
      if (names.length)
        return names.map((n) => ({ type, name: n, found: objects.some((o) => o.metadata.name === n) }));
      return objects
        .filter((o) => (selector ? selector(o.metadata.labels) : boolFlag(args, 'all')))
        .map((o) => ({ type, name: o.metadata.name, found: true }));
    }),
  );
  if (initial.length === 0) throw new KubectlError('error: no matching resources found');
  const missing = initial.find((t) => !t.found);
  if (missing && mode.kind !== 'delete')
    throw new KubectlError(
      `Error from server (NotFound): ${missing.type.plural} "${missing.name}" not found`,
    );
  let status = 0;
  for (const target of initial) {
    for (;;) {
      const obj = await withCluster(ctx, (state) =>
        structuredClone(
          target.type
            .list(state)
            .find(
              (o) =>
                o.metadata.name === target.name &&
                (!target.type.namespaced || (o.metadata.namespace ?? 'default') === namespace),
            ),
        ),
      );
      const done =
        mode.kind === 'delete'
          ? obj === undefined
          : obj !== undefined &&
            (mode.kind === 'condition'
              ? conditionMet(obj, mode.condition)
              : renderJsonPath(mode.path, obj) === mode.value);
      if (done) {
        ctx.out(`${target.type.qualified}/${target.name} condition met\n`);
        break;
      }
      if (Date.now() >= deadline) {
        ctx.err(`error: timed out waiting for the condition on ${target.type.plural}/${target.name}\n`);
        status = 1;
        break;
      }
      await sleep(Math.min(100, Math.max(0, deadline - Date.now())));
    }
  }
  return status;
}
