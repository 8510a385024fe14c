// kubectl get: tables (default, -o wide, --show-labels, -A, several types at once), -o json|yaml|name|
// jsonpath, -l selectors, names; NotFound errors and "No resources found" as kubectl prints them.
import type { ApiObject } from '../model/types.ts';
import { boolFlag, flag, KubectlError, rejectFlags } from './args.ts';
import { namespaceOf, withCluster, type KubectlContext } from './context.ts';
import { tableRows } from '../apiserver/printers/columns.ts';
import { asList, formatStructured, isStructuredOutput } from './printers/output.ts';
import { formatTable } from './printers/table.ts';
import { renderJsonPath } from './printers/jsonpath.ts';
import { parseResourceArgs, type ResourceType } from './resources.ts';
import { parseSelector } from './selector.ts';

function byNamespaceAndName(a: ApiObject, b: ApiObject): number {
  const ns = (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '');
  return ns !== 0 ? ns : a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export async function getCommand(ctx: KubectlContext): Promise<number> {
  const { args } = ctx;
  rejectFlags(args, 'get', [
    'output',
    'selector',
    'all-namespaces',
    'show-labels',
    'no-headers',
    'ignore-not-found',
    'watch',
    'show-kind',
    'sort-by',
  ]);
  if (boolFlag(args, 'watch'))
    throw new KubectlError(
      'error: the simulated kubectl does not support --watch (-w); poll with `kubectl get` or use `kubectl wait`',
    );
  const requests = parseResourceArgs(args.positionals);
  if (requests.length === 0)
    throw new KubectlError(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
    );
  const output = flag(args, 'output');
  const allNamespaces = boolFlag(args, 'all-namespaces');
  const namespace = namespaceOf(args);
  const selectorText = flag(args, 'selector');
  const selector = selectorText !== undefined ? parseSelector(selectorText) : undefined;
  const ignoreNotFound = boolFlag(args, 'ignore-not-found');
  const { groups, now, notFound } = await withCluster(ctx, (state, now) => {
    const notFound: string[] = [];
    const groups = requests.map(({ type, names }) => {
      let objects = type
        .list(state)
        .filter(
          (o) => !type.namespaced || allNamespaces || (o.metadata.namespace ?? 'default') === namespace,
        );
      if (selector) objects = objects.filter((o) => selector(o.metadata.labels));
      if (names.length > 0) {
        const picked: ApiObject[] = [];
        for (const name of names) {
          const found = objects.find((o) => o.metadata.name === name);
          if (found) picked.push(found);
          else
            notFound.push(
              `Error from server (NotFound): ${type.plural}${type.qualified.includes('.') ? `.${type.qualified.split('.').slice(1).join('.')}` : ''} "${name}" not found`,
            );
        }
        objects = picked;
      } else objects = [...objects].sort(byNamespaceAndName);
      const sortBy = flag(args, 'sort-by');
      if (sortBy) {
        const key = (o: ApiObject): string =>
          renderJsonPath(sortBy.startsWith('{') ? sortBy : `{${sortBy}}`, o);
        objects = [...objects].sort((a, b) => key(a).localeCompare(key(b), 'en', { numeric: true }));
      }
      return { type, objects: structuredClone(objects) };
    });
    return { groups, now, notFound };
  });
  const multiType =
    groups.length > 1 || args.positionals[0] === 'all' || (args.positionals[0]?.includes('/') ?? false);
  const all = groups.flatMap((g) => g.objects);
  if (isStructuredOutput(output) && output) {
    const single =
      groups.length === 1 && (requests[0]?.names.length ?? 0) === 1 && !args.positionals[0]?.includes(',');
    const data = single && all.length === 1 ? all[0] : asList(all);
    if (all.length > 0 || output !== 'name')
      ctx.out(
        formatStructured(output, data, () =>
          groups.flatMap((g) => g.objects.map((o) => `${g.type.qualified}/${o.metadata.name}`)),
        ),
      );
  } else if (output !== undefined && output !== 'wide') {
    formatStructured(output, {}, () => []);
  } else {
    const tables: string[] = [];
    for (const group of groups) {
      if (group.objects.length === 0) continue;
      const rows = tableRows(group.type.kind, group.objects, now, {
        wide: output === 'wide',
        withNamespace: allNamespaces && group.type.namespaced,
        showLabels: boolFlag(args, 'show-labels'),
        noHeaders: boolFlag(args, 'no-headers'),
        ...(multiType ? { kindPrefix: group.type.qualified } : {}),
      });
      tables.push(formatTable(rows));
    }
    ctx.out(tables.join('\n'));
    const named = requests.some((r) => r.names.length > 0);
    if (tables.length === 0 && !named)
      ctx.err(
        noResources(
          groups.map((g) => g.type),
          allNamespaces,
          namespace,
        ),
      );
  }
  if (notFound.length > 0 && !ignoreNotFound) {
    ctx.err(notFound.map((l) => `${l}\n`).join(''));
    return 1;
  }
  return 0;
}

function noResources(types: ResourceType[], allNamespaces: boolean, namespace: string): string {
  const namespaced = types.some((t) => t.namespaced);
  return allNamespaces || !namespaced
    ? 'No resources found\n'
    : `No resources found in ${namespace} namespace.\n`;
}
