// Field paths and sets as structured-merge-diff has them (sigs.k8s.io/structured-merge-diff fieldpath):
// path elements (field name, associative-list key, set value, index), their order, the FieldsV1 JSON of a
// set (`f:`, `k:`, `v:`, `i:`, `.` for a member that also has children) and the `.spec.replicas` /
// `[name="nginx"]` form conflict messages print.
export type PathElement =
  | { readonly f: string }
  | { readonly k: readonly (readonly [string, unknown])[] }
  | { readonly v: unknown }
  | { readonly i: number };
export type Path = readonly PathElement[];

const rank = (e: PathElement): number => ('f' in e ? 0 : 'k' in e ? 1 : 'v' in e ? 2 : 3);

/** value.Compare's order for the scalars keys and set values hold. */
function compareValues(a: unknown, b: unknown): number {
  const order = (v: unknown): number =>
    v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : 4;
  if (order(a) !== order(b)) return order(a) - order(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

export function compareElements(a: PathElement, b: PathElement): number {
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if ('f' in a && 'f' in b) return a.f < b.f ? -1 : a.f > b.f ? 1 : 0;
  if ('k' in a && 'k' in b) {
    for (let i = 0; i < Math.min(a.k.length, b.k.length); i++) {
      const [an, av] = a.k[i] ?? ['', null];
      const [bn, bv] = b.k[i] ?? ['', null];
      if (an !== bn) return an < bn ? -1 : 1;
      const c = compareValues(av, bv);
      if (c !== 0) return c;
    }
    return a.k.length - b.k.length;
  }
  if ('v' in a && 'v' in b) return compareValues(a.v, b.v);
  if ('i' in a && 'i' in b) return a.i - b.i;
  return 0;
}

/** The element as FieldsV1 writes it: f:name, k:{"name":"x"}, v:"x", i:0. */
export function elementKey(e: PathElement): string {
  if ('f' in e) return `f:${e.f}`;
  if ('k' in e) return `k:${JSON.stringify(Object.fromEntries(e.k))}`;
  if ('v' in e) return `v:${JSON.stringify(e.v)}`;
  return `i:${e.i}`;
}

export function parseElementKey(key: string): PathElement {
  const body = key.slice(2);
  switch (key.slice(0, 2)) {
    case 'f:':
      return { f: body };
    case 'k:':
      return { k: Object.entries(JSON.parse(body) as Record<string, unknown>) };
    case 'v:':
      return { v: JSON.parse(body) as unknown };
    case 'i:':
      return { i: Number(body) };
    default:
      throw new Error(`unknown path element ${key}`);
  }
}

/** value.ToString: strings quoted as Go's %q, other scalars as JSON. */
const goString = (v: unknown): string => JSON.stringify(v);

/** Path.String(): `.spec.template.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path
    .map((e) => {
      if ('f' in e) return `.${e.f}`;
      if ('k' in e) return `[${e.k.map(([n, v]) => `${n}=${goString(v)}`).join(',')}]`;
      if ('v' in e) return `[=${goString(e.v)}]`;
      return `[${e.i}]`;
    })
    .join('');
}

const pathKey = (p: Path): string => p.map(elementKey).join('\u0000');

/** A set of paths (fieldpath.Set), kept flat: each member path once. */
export class FieldSet {
  private readonly paths = new Map<string, Path>();

  constructor(paths: Iterable<Path> = []) {
    for (const p of paths) this.insert(p);
  }
  insert(path: Path): void {
    this.paths.set(pathKey(path), [...path]);
  }
  has(path: Path): boolean {
    return this.paths.has(pathKey(path));
  }
  get size(): number {
    return this.paths.size;
  }
  empty(): boolean {
    return this.paths.size === 0;
  }
  [Symbol.iterator](): IterableIterator<Path> {
    return this.paths.values();
  }
  /** Members in fieldpath's order (element by element, a prefix first). */
  sorted(): Path[] {
    return [...this.paths.values()].sort((a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const c = compareElements(a[i] as PathElement, b[i] as PathElement);
        if (c !== 0) return c;
      }
      return a.length - b.length;
    });
  }
  union(other: FieldSet): FieldSet {
    return new FieldSet([...this, ...other]);
  }
  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this].filter((p) => !other.has(p)));
  }
  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this].filter((p) => other.has(p)));
  }
  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this].every((p) => other.has(p));
  }
  /** Without the paths under `prefix` (and `prefix` itself). */
  without(prefix: Path): FieldSet {
    const key = pathKey(prefix);
    return new FieldSet(
      [...this].filter((p) => {
        const k = pathKey(p);
        return k !== key && !k.startsWith(`${key}\u0000`);
      }),
    );
  }
  /** Every member and the struct-field prefixes leading to it (EnsureNamedFieldsAreMembers, roughly). */
  withAncestors(): FieldSet {
    const out = new FieldSet(this);
    for (const p of this) for (let i = 1; i < p.length; i++) out.insert(p.slice(0, i));
    return out;
  }

  /** The FieldsV1 JSON object: a member with children gets `.: {}`. */
  toFieldsV1(): Record<string, unknown> {
    interface Tree {
      self: boolean;
      children: Map<string, Tree>;
    }
    const root: Tree = { self: false, children: new Map() };
    for (const p of this.sorted()) {
      let at = root;
      for (const e of p) {
        const k = elementKey(e);
        let next = at.children.get(k);
        if (!next) {
          next = { self: false, children: new Map() };
          at.children.set(k, next);
        }
        at = next;
      }
      at.self = true;
    }
    const emit = (t: Tree, includeSelf: boolean): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (includeSelf && t.self && t.children.size > 0) out['.'] = {};
      for (const [k, c] of t.children) out[k] = emit(c, true);
      return out;
    };
    return emit(root, false);
  }

  static fromFieldsV1(json: unknown): FieldSet {
    const out = new FieldSet();
    const walk = (node: unknown, prefix: PathElement[]): void => {
      const entries = node && typeof node === 'object' ? Object.entries(node as object) : [];
      if (entries.length === 0 && prefix.length > 0) out.insert(prefix);
      for (const [k, v] of entries) {
        if (k === '.') out.insert(prefix);
        else walk(v, [...prefix, parseElementKey(k)]);
      }
    };
    walk(json, []);
    return out;
  }
}
