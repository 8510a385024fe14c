// kubectl delete: by type + names, TYPE/NAME, -f, -l, --all; prints `pod "x" deleted` and (like kubectl's
// default --wait=true) waits until the objects are gone. --now = grace 1 s, --grace-period=0 --force = at once.
import { ApiError, deleteObject, exists } from '../model/api.ts';
import { boolFlag, flag, KubectlError, parseDuration, rejectFlags } from './args.ts';
import { namespaceOf, sleep, withCluster, type KubectlContext } from './context.ts';
import { clientCheck } from './apply.ts';
import { readManifests } from './manifests.ts';
import { findResourceType, parseResourceArgs, type ResourceType } from './resources.ts';
import { parseSelector } from './selector.ts';

interface Target {
  type: ResourceType;
  name: string;
  namespace: string;
  source?: string;
}

export async function deleteCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'delete', [
    'filename',
    'selector',
    'all',
    'now',
    'grace-period',
    'force',
    'wait',
    'ignore-not-found',
    'timeout',
    'cascade',
    'recursive',
    'all-namespaces',
  ]);
  const namespace = namespaceOf(args);
  const graceFlag = flag(args, 'grace-period');
  let graceMs: number | undefined;
  if (boolFlag(args, 'now')) graceMs = 1000;
  if (graceFlag !== undefined) {
    const g = Number(graceFlag);
    if (!Number.isInteger(g))
      throw new KubectlError(
        `error: invalid argument "${graceFlag}" for "--grace-period" flag: strconv.ParseInt: parsing "${graceFlag}": invalid syntax`,
      );
    if (g === 0 && !boolFlag(args, 'force')) graceMs = 1000;
    else if (g >= 0) graceMs = g * 1000;
  }
  if (boolFlag(args, 'force') && graceMs === 0)
    ctx.err(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    );
  const wait = flag(args, 'wait') !== 'false';
  const timeoutText = flag(args, 'timeout');
  const timeoutMs = timeoutText ? parseDuration(timeoutText, 'timeout') : 60_000;
  const ignoreNotFound = boolFlag(args, 'ignore-not-found');

  const targets: Target[] = [];
  const errors: string[] = [];
  const files = args.flags.get('filename');
  let selected: { types: ResourceType[]; selector?: string; all: boolean } | undefined;
  if (files) {
    for (const m of await readManifests(files, ctx)) {
      const problem = clientCheck(m, flag(args, 'namespace'));
      if (problem) {
        errors.push(problem);
        continue;
      }
      const meta = (m.doc['metadata'] as Record<string, unknown> | undefined) ?? {};
      targets.push({
        type: findResourceType(String(m.doc['kind'])),
        name: String(meta['name'] ?? ''),
        namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : namespace,
        source: m.source,
      });
    }
  } else {
    const requests = parseResourceArgs(args.positionals);
    if (requests.length === 0)
      throw new KubectlError(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      );
    const selectorText = flag(args, 'selector');
    const all = boolFlag(args, 'all');
    if (requests.every((r) => r.names.length === 0)) {
      if (!selectorText && !all)
        throw new KubectlError('error: resource(s) were provided, but no name was specified');
      selected = {
        types: requests.map((r) => r.type),
        ...(selectorText ? { selector: selectorText } : {}),
        all,
      };
    } else
      for (const r of requests) for (const name of r.names) targets.push({ type: r.type, name, namespace });
  }

  const deleted = await withCluster(ctx, (state, now) => {
    if (selected) {
      const matches = selected.selector ? parseSelector(selected.selector) : () => true;
      for (const type of selected.types)
        for (const o of type.list(state))
          if (
            (!type.namespaced || (o.metadata.namespace ?? 'default') === namespace) &&
            matches(o.metadata.labels) &&
            !(type.kind === 'Pod' && (o.metadata as { deletionTimestamp?: string }).deletionTimestamp)
          )
            targets.push({ type, name: o.metadata.name, namespace });
    }
    const done: Target[] = [];
    for (const t of targets) {
      try {
        if (deleteObject(state, t.type.kind, t.namespace, t.name, now, graceMs)) done.push(t);
        else if (!ignoreNotFound)
          errors.push(
            `Error from server (NotFound): ${t.source ? `error when deleting "${t.source}": ` : ''}${t.type.plural}${t.type.qualified.includes('.') ? `.${t.type.qualified.split('.').slice(1).join('.')}` : ''} "${t.name}" not found`,
          );
      } catch (error) {
        if (error instanceof ApiError) errors.push(`error: ${error.message}`);
        else throw error;
      }
    }
    return done;
  });
  for (const t of deleted) ctx.out(`${t.type.qualified} "${t.name}" deleted\n`);
  if (selected && deleted.length === 0 && errors.length === 0) ctx.err(`No resources found\n`);
  if (wait && deleted.some((t) => t.type.kind === 'Pod' || t.type.kind === 'Deployment')) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = await withCluster(
        ctx,
        (state) => deleted.filter((t) => exists(state, t.type.kind, t.namespace, t.name)).length,
      );
      if (remaining === 0) break;
      if (Date.now() > deadline) {
        errors.push(`error: timed out waiting for the condition`);
        break;
      }
      await sleep(100);
    }
  }
  if (errors.length) {
    ctx.err(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  return 0;
}
