// metadata.managedFields as kube-apiserver's field manager keeps them (k8s.io/apimachinery
// util/managedfields/internal and structured-merge-diff merge/update.go): an Update entry per manager,
// API version and subresource for create/update/patch, an Apply entry per applier, fields moving between
// managers, conflicts of an apply, and the pruning of what an applier stops applying.
import { z } from 'zod';
import { isoSeconds } from '../../model/meta.ts';
import { StatusError } from '../status.ts';
import { FieldSet, pathString, type Path } from './fieldpath.ts';
import { schemaFor } from './schema.ts';
import { compare, merge, removeItems, toFieldSet, type Comparison } from './typed.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export const ManagedFieldsEntrySchema = z.looseObject({
  manager: z.string(),
  operation: z.enum(['Apply', 'Update']),
  apiVersion: z.string(),
  time: z.string().optional(),
  fieldsType: z.literal('FieldsV1'),
  fieldsV1: z.record(z.string(), z.unknown()),
  subresource: z.string().optional(),
});
export type ManagedFieldsEntry = z.infer<typeof ManagedFieldsEntrySchema>;

export interface Manager {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  readonly subresource?: string | undefined;
  time?: string | undefined;
  set: FieldSet;
}

/** BuildManagerIdentifier: an applier is one manager whatever its API version. */
const identity = (m: Omit<Manager, 'set'>): string =>
  JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']);

/** Paths the field manager never tracks: StripMetaManager's and the main resource's reset `status`. */
function tracked(set: FieldSet): FieldSet {
  let out = set.without([{ f: 'status' }]);
  for (const f of [
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'generation',
    'managedFields',
    'resourceVersion',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ])
    out = out.without([{ f: 'metadata' }, { f }]);
  const top = (q: Path): string | undefined => (q.length === 1 && q[0] && 'f' in q[0] ? q[0].f : undefined);
  return new FieldSet([...out].filter((q) => !['apiVersion', 'kind', 'metadata'].includes(top(q) ?? '')));
}

const filtered = (c: Comparison): Comparison => ({
  added: tracked(c.added),
  modified: tracked(c.modified),
  removed: tracked(c.removed),
});

export function decodeManagers(object: unknown): Map<string, Manager> {
  const out = new Map<string, Manager>();
  const entries = obj(obj(object)['metadata'])['managedFields'];
  for (const raw of Array.isArray(entries) ? entries : []) {
    const e = ManagedFieldsEntrySchema.safeParse(raw);
    if (!e.success) continue;
    const m: Manager = {
      manager: e.data.manager,
      operation: e.data.operation,
      apiVersion: e.data.apiVersion,
      subresource: e.data.subresource,
      time: e.data.time,
      set: FieldSet.fromFieldsV1(e.data.fieldsV1),
    };
    out.set(identity(m), m);
  }
  return out;
}

/** sortEncodedManagedFields: Apply before Update, then by time, manager, apiVersion, subresource. */
export function encodeManagers(managers: Map<string, Manager>): ManagedFieldsEntry[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...managers.values()]
    .filter((m) => !m.set.empty())
    .sort(
      (a, b) =>
        cmp(a.operation, b.operation) ||
        cmp(a.time ?? '', b.time ?? '') ||
        cmp(a.manager, b.manager) ||
        cmp(a.apiVersion, b.apiVersion) ||
        cmp(a.subresource ?? '', b.subresource ?? ''),
    )
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: m.set.toFieldsV1(),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
}

export interface Writer {
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource?: string | undefined;
}

/** The fieldManager query parameter, else the user agent up to its first `/` (prefixFromUserAgent). */
export function managerName(fieldManager: string | null, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  return (userAgent ?? '').split('/')[0]?.slice(0, 128) ?? '';
}

/** Updater.update: moves changed fields away from the other managers; the conflicts found (an apply). */
function moveFields(
  managers: Map<string, Manager>,
  own: string,
  c: Comparison,
): { id: string; m: Manager; conflicts: FieldSet }[] {
  const changed = c.modified.union(c.added);
  const conflicts: { id: string; m: Manager; conflicts: FieldSet }[] = [];
  for (const [id, m] of managers) {
    if (id === own) continue;
    const clash = m.set.intersection(changed);
    if (!clash.empty()) conflicts.push({ id, m, conflicts: clash });
  }
  return conflicts;
}

function settle(managers: Map<string, Manager>, own: string, c: Comparison, force: boolean): void {
  const conflicts = moveFields(managers, own, c);
  if (!force && conflicts.length) throw conflictError(conflicts);
  for (const [id, m] of managers) {
    if (id === own) continue;
    const clash = conflicts.find((x) => x.id === id)?.conflicts;
    m.set = (clash ? m.set.difference(clash) : m.set).difference(c.removed);
    if (m.set.empty()) managers.delete(id);
  }
}

/** A field set from a manager's point of view: every tracked path. */
function printManager(m: Manager): string {
  const name = `"${m.manager}"${m.subresource ? ` with subresource "${m.subresource}"` : ''}`;
  return m.operation === 'Update' ? `${name} using ${m.apiVersion}` : name;
}

/** internal.NewConflictError: 409 Conflict with one FieldManagerConflict cause per path. */
function conflictError(conflicts: { m: Manager; conflicts: FieldSet }[]): StatusError {
  const all = conflicts.flatMap(({ m, conflicts: set }) => set.sorted().map((p) => ({ m, p })));
  const causes = all.map(({ m, p }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(m)}`,
    field: pathString(p),
  }));
  let message: string;
  if (all.length === 1) {
    const only = all[0] as { m: Manager; p: Path };
    message = `Apply failed with 1 conflict: conflict with ${printManager(only.m)}: ${pathString(only.p)}`;
  } else {
    const lines = [...conflicts]
      .sort((a, b) => (a.m.manager < b.m.manager ? -1 : a.m.manager > b.m.manager ? 1 : 0))
      .flatMap(({ m, conflicts: set }) => [
        `conflicts with ${printManager(m)}:`,
        ...set.sorted().map((p) => `- ${pathString(p)}`),
      ]);
    message = `Apply failed with ${all.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError('Conflict', message, { causes });
}

const withoutManaged = (o: unknown): Obj => {
  const copy = structuredClone(obj(o));
  const meta = { ...obj(copy['metadata']) };
  Reflect.deleteProperty(meta, 'managedFields');
  copy['metadata'] = meta;
  return copy;
};

/** Updater.Update for a create, update or patch: `live` is undefined for a create (the empty object of
 *  the kind is compared then, so only what Go's zero value lacks counts as added). Returns the entries to
 *  store. A request that set managedFields itself has them taken as given. */
export function recordUpdate(
  kind: string,
  live: unknown,
  next: unknown,
  writer: Writer,
  now: number,
): ManagedFieldsEntry[] {
  const node = schemaFor(kind);
  const given = decodeManagers(next);
  const managers = given.size > 0 ? given : decodeManagers(live);
  const before = live === undefined ? zeroObject(kind) : withoutManaged(live);
  const c = filtered(compare(before, withoutManaged(next), node));
  const self = {
    manager: writer.manager,
    operation: 'Update' as const,
    apiVersion: writer.apiVersion,
    subresource: writer.subresource,
  };
  const id = identity(self);
  settle(managers, id, c, true);
  const previous = managers.get(id);
  const set = (previous?.set ?? new FieldSet()).difference(c.removed).union(c.modified).union(c.added);
  const changed = !c.added.empty() || !c.modified.empty() || !c.removed.empty();
  if (!set.empty())
    managers.set(id, { ...self, time: changed || !previous ? isoSeconds(now) : previous.time, set });
  else managers.delete(id);
  return encodeManagers(managers);
}

export interface ApplyResult {
  /** The object to store (managedFields not set), or undefined when the apply changes nothing. */
  readonly object: Obj | undefined;
  readonly managedFields: ManagedFieldsEntry[];
}

/** Updater.Apply: merges `config` into `live`, gives the applier the fields of its configuration, prunes
 *  what it applied last time and no longer does (unless another manager owns it) and refuses a change to
 *  a field another manager owns unless `force`. */
export function applyConfig(
  kind: string,
  live: unknown,
  config: Obj,
  writer: Writer,
  force: boolean,
  now: number,
): ApplyResult {
  const node = schemaFor(kind);
  const managers = decodeManagers(live);
  const base = live === undefined ? {} : withoutManaged(live);
  let merged = merge(base, withoutManaged(config), node) as Obj;
  const self = {
    manager: writer.manager,
    operation: 'Apply' as const,
    apiVersion: writer.apiVersion,
    subresource: writer.subresource,
  };
  const id = identity(self);
  const last = managers.get(id);
  const set = tracked(toFieldSet(withoutManaged(config), node));
  managers.set(id, { ...self, time: last?.time, set });
  if (last && !last.set.empty()) {
    // prune: what this applier owned last time, owns no more, and nobody else owns.
    const owned = new FieldSet([...managers.values()].flatMap((m) => [...m.set.withAncestors()]));
    const present = toFieldSet(merged, node).withAncestors();
    const drop = last.set.withAncestors().intersection(present).difference(owned);
    merged = removeItems(merged, drop, node) as Obj;
  }
  const c = filtered(compare(live === undefined ? zeroObject(kind) : base, merged, node));
  settle(managers, id, c, force);
  const unchanged = live !== undefined && JSON.stringify(base) === JSON.stringify(merged);
  const entry = managers.get(id);
  if (entry && (!unchanged || !last?.time || !last.set.equals(set))) entry.time = isoSeconds(now);
  return { object: unchanged ? undefined : merged, managedFields: encodeManagers(managers) };
}

/** The Go zero value of each kind as JSON (non-pointer structs present, empty): what a create compares with. */
function zeroObject(kind: string): Obj {
  switch (kind) {
    case 'Deployment':
      return {
        metadata: {},
        spec: { selector: null, template: { metadata: {}, spec: { containers: null } }, strategy: {} },
        status: {},
      };
    case 'ReplicaSet':
      return {
        metadata: {},
        spec: { selector: null, template: { metadata: {}, spec: { containers: null } } },
        status: {},
      };
    case 'Service':
      return { metadata: {}, spec: {}, status: { loadBalancer: {} } };
    case 'Pod':
      return { metadata: {}, spec: { containers: null }, status: {} };
    case 'Namespace':
      return { metadata: {}, spec: {}, status: {} };
    default:
      return { metadata: {} };
  }
}
