// Typed operations of structured-merge-diff (typed/tofieldset.go, compare.go, merge.go, remove.go) over
// plain JSON objects and the schema of schema.ts: the field set an object sets, the comparison of two
// versions (added / modified / removed), the merge of an applied configuration into the live object and the
// removal of paths.
import { FieldSet, type Path, type PathElement } from './fieldpath.ts';
import { fieldType, isNamedField, type TypeNode } from './schema.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const equal = (a: unknown, b: unknown): boolean => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (isObj(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canon(v[k])]),
    );
  return v;
}

/** A list item's path element: its keys for an associative list, its value for a set, else its index. */
export function itemElement(node: TypeNode, item: unknown, index: number): PathElement {
  if (node.type === 'list' && node.list === 'map') {
    const o = isObj(item) ? item : {};
    return { k: node.keys.map((k) => [k, o[k] ?? node.defaults?.[k] ?? null] as const) };
  }
  if (node.type === 'list' && node.list === 'set') return { v: item };
  return { i: index };
}

const isAtomic = (node: TypeNode): boolean =>
  node.type === 'scalar' ||
  (node.type === 'list' && node.list === 'atomic') ||
  ((node.type === 'struct' || node.type === 'map') && node.atomic === true);

const elemOf = (node: TypeNode): TypeNode =>
  node.type === 'list' && node.list === 'map' ? node.elem : { type: 'scalar' };

/** TypedValue.ToFieldSet. */
export function toFieldSet(value: unknown, node: TypeNode): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, n: TypeNode, path: PathElement[]): void => {
    if (isAtomic(n)) {
      set.insert(path);
      return;
    }
    if (n.type === 'list') {
      if (!Array.isArray(v)) return;
      const seen = new Set<string>();
      v.forEach((item, i) => {
        const pe = itemElement(n, item, i);
        const key = JSON.stringify(pe);
        if (seen.has(key)) return;
        seen.add(key);
        walk(item, elemOf(n), [...path, pe]);
        set.insert([...path, pe]);
      });
      return;
    }
    if (!isObj(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, { f: k }];
      walk(child, fieldType(n, k, child), p);
      if (child === null || (isObj(child) && Object.keys(child).length === 0) || !isNamedField(n))
        set.insert(p);
    }
  };
  walk(value, node, []);
  return set;
}

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** TypedValue.Compare: what `rhs` added, modified and removed relative to `lhs`. Every node that appears
 *  or disappears is itself added or removed, outside atomic values. */
export function compare(lhs: unknown, rhs: unknown, node: TypeNode): Comparison {
  const c = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const walk = (l: unknown, r: unknown, n: TypeNode, path: PathElement[]): void => {
    if (isAtomic(n)) {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
      else if (!equal(l, r)) c.modified.insert(path);
      return;
    }
    if (n.type === 'list') {
      const index = (v: unknown): Map<string, [PathElement, unknown]> => {
        const m = new Map<string, [PathElement, unknown]>();
        (Array.isArray(v) ? v : []).forEach((item, i) => {
          const pe = itemElement(n, item, i);
          const key = JSON.stringify(pe);
          if (!m.has(key)) m.set(key, [pe, item]);
        });
        return m;
      };
      const li = index(l);
      const ri = index(r);
      for (const [key, [pe, item]] of li) walk(item, ri.get(key)?.[1], elemOf(n), [...path, pe]);
      for (const [key, [pe, item]] of ri) if (!li.has(key)) walk(undefined, item, elemOf(n), [...path, pe]);
    } else {
      const lo = isObj(l) ? l : {};
      const ro = isObj(r) ? r : {};
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)]))
        walk(lo[k], ro[k], fieldType(n, k, ro[k] ?? lo[k]), [...path, { f: k }]);
    }
    if (path.length > 0) {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
    }
  };
  walk(lhs, rhs, node, []);
  return c;
}

/** TypedValue.Merge: `config` over `live`; associative lists and sets merge by element, atomic values and
 *  scalars are replaced. Items only in `config` come after the live ones. */
export function merge(live: unknown, config: unknown, node: TypeNode): unknown {
  if (config === undefined) return structuredClone(live);
  if (isAtomic(node) || live === undefined || live === null || config === null)
    return structuredClone(config);
  if (node.type === 'list') {
    if (!Array.isArray(live) || !Array.isArray(config)) return structuredClone(config);
    const key = (item: unknown, i: number): string => JSON.stringify(itemElement(node, item, i));
    const given = new Map(config.map((item, i) => [key(item, i), item] as const));
    const out = live.map((item, i) => {
      const k = key(item, i);
      return given.has(k) ? merge(item, given.get(k), elemOf(node)) : structuredClone(item);
    });
    const liveKeys = new Set(live.map(key));
    config.forEach((item, i) => {
      if (!liveKeys.has(key(item, i))) out.push(structuredClone(item));
    });
    return out;
  }
  if (!isObj(live) || !isObj(config)) return structuredClone(config);
  const out: Obj = structuredClone(live);
  for (const [k, v] of Object.entries(config)) out[k] = merge(live[k], v, fieldType(node, k, v));
  return out;
}

/** TypedValue.RemoveItems: without the paths of `set` (a removed path takes its subtree). Maps and lists
 *  left empty by a removal go too, as the Go types' omitempty would drop them. */
export function removeItems(value: unknown, set: FieldSet, node: TypeNode): unknown {
  const walk = (v: unknown, n: TypeNode, path: Path): unknown => {
    if (isAtomic(n)) return v;
    if (n.type === 'list') {
      if (!Array.isArray(v)) return v;
      const out: unknown[] = [];
      v.forEach((item, i) => {
        const p = [...path, itemElement(n, item, i)];
        if (!set.has(p)) out.push(walk(item, elemOf(n), p));
      });
      return out;
    }
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, { f: k }];
      if (set.has(p)) continue;
      const kept = walk(child, fieldType(n, k, child), p);
      const emptied =
        (isObj(kept) &&
          Object.keys(kept).length === 0 &&
          !(isObj(child) && Object.keys(child).length === 0)) ||
        (Array.isArray(kept) && kept.length === 0 && Array.isArray(child) && child.length > 0);
      if (!emptied) out[k] = kept;
    }
    return out;
  };
  return walk(value, node, []);
}
