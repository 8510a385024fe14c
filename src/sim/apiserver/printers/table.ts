// Server-side Table output (meta.k8s.io/v1 Table) with kube-apiserver's columns per kind
// (pkg/printers/internalversion/printers.go): kubectl prints these columns upper-cased; `-o wide` adds
// the priority-1 ones.
import type { ApiObject } from '../../model/types.ts';
import { COLUMNS } from './columns.ts';
import { eventCells, eventColumnDefinitions } from './events.ts';

/** printers.go column names for the headers COLUMNS carries upper-cased. */
const NAMES: Readonly<Record<string, string>> = {
  'CLUSTER-IP': 'Cluster-IP',
  'EXTERNAL-IP': 'External-IP',
  'PORT(S)': 'Port(s)',
  'UP-TO-DATE': 'Up-to-date',
  'INTERNAL-IP': 'Internal-IP',
  'OS-IMAGE': 'OS-Image',
  'KERNEL-VERSION': 'Kernel-Version',
  'CONTAINER-RUNTIME': 'Container-Runtime',
  IP: 'IP',
  ADDRESSTYPE: 'AddressType',
};
const columnName = (header: string): string =>
  NAMES[header] ?? header.toLowerCase().replace(/(^|\s)\w/g, (c) => c.toUpperCase());

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: ApiObject, include: IncludeObject): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function columnDefinitions(kind: string): object[] {
  const columns = COLUMNS[kind];
  const defs = (names: readonly string[], priority: number): object[] =>
    names.map((n) => ({ name: columnName(n), type: 'string', format: '', description: '', priority }));
  const name = {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    priority: 0,
  };
  if (kind === 'Event') return eventColumnDefinitions();
  if (!columns) return [name];
  return [name, ...defs(columns.headers, 0), ...defs(columns.wideHeaders, 1)];
}

export function toTable(
  kind: string,
  objects: readonly ApiObject[],
  now: number,
  options: { include: IncludeObject; resourceVersion: string; withColumns?: boolean },
): object {
  const columns = COLUMNS[kind];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: options.withColumns === false ? [] : columnDefinitions(kind),
    rows: objects.map((o) => {
      const object = rowObject(o, options.include);
      if (kind === 'Event') return { cells: eventCells(o, now), ...(object ? { object } : {}) };
      const cells = columns ? columns.row(o, now) : { cells: [], wide: [] };
      return { cells: [o.metadata.name, ...cells.cells, ...cells.wide], ...(object ? { object } : {}) };
    }),
  };
}

/** The Table media type kubectl asks for (`application/json;as=Table;v=v1;g=meta.k8s.io`). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}
