// The import graph of src/, read with the TypeScript compiler's parser (no type checking, so it is fast and
// sees exactly what is written): static imports, `import type`, `export ... from`, `import()` calls and
// `import('x')` types. Only relative specifiers are edges; packages and node: builtins are not layers.
// A dynamic import of a computed path (src/sim/provider.ts loads test/testbed that way) is not an edge.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the project root with `/` separators, e.g. `src/lab/target.ts`. */
  readonly from: string;
  /** Imported file, same form. */
  readonly to: string;
  /** The specifier as written. */
  readonly specifier: string;
  readonly line: number;
}

export interface ImportGraph {
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTs(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Module specifiers in one file, with their lines. */
export function moduleSpecifiers(fileName: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node))
      found.push({
        specifier: node.text,
        line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
      });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `./x.ts`, `./x.js` (NodeNext spelling) or `./dir` (index.ts) → the .ts file, if it exists. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  return candidates.find((c) => c.endsWith('ts') && existsSync(c) && statSync(c).isFile());
}

/** Reads every .ts file under `root/dir` (default src) and its relative imports. */
export function readImportGraph(root: string, dir = 'src'): ImportGraph {
  const files = listTs(join(root, dir)).sort();
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const from = toPosix(relative(root, file));
    for (const { specifier, line } of moduleSpecifiers(file, readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      // An unresolvable relative import is tsc's to report; here it would only hide an edge.
      if (target === undefined)
        throw new Error(`${from}:${line}: cannot resolve ${JSON.stringify(specifier)}`);
      edges.push({ from, to: toPosix(relative(root, target)), specifier, line });
    }
  }
  return { files: files.map((f) => toPosix(relative(root, f))), edges };
}

/** A layer is a folder (`src/lab/`, matches everything under it) or one file (`src/cli.ts`). */
export function inLayer(file: string, layer: string): boolean {
  return layer.endsWith('/') ? file.startsWith(layer) : file === layer;
}

/** The layers directly under `dir`: `src/lab/` for folders, `src/cli.ts` for files. */
export function topLevelLayers(graph: ImportGraph, dir = 'src'): string[] {
  const layers = graph.files.map((f) => {
    const [head, ...rest] = f.slice(dir.length + 1).split('/');
    return rest.length > 0 ? `${dir}/${head}/` : f;
  });
  return [...new Set(layers)].sort();
}

export interface LayerRule {
  /** Files this rule constrains. */
  readonly from: readonly string[];
  /** What they must not import. */
  readonly forbidden: readonly string[];
  /** Why, for the failure message. */
  readonly because: string;
}

/** One message per forbidden edge: `src/lab/target.ts:7 imports '../commands/lab-env.ts' (src/commands/lab-env.ts): ...`. */
export function layerViolations(graph: ImportGraph, rules: readonly LayerRule[]): string[] {
  const out: string[] = [];
  for (const edge of graph.edges)
    for (const rule of rules)
      if (rule.from.some((l) => inLayer(edge.from, l)) && rule.forbidden.some((l) => inLayer(edge.to, l)))
        out.push(`${edge.from}:${edge.line} imports '${edge.specifier}' (${edge.to}): ${rule.because}`);
  return out;
}

/** Every import cycle among the files matching `scope`, each as `a.ts → b.ts → a.ts` (one per strongly
 *  connected component, walked from its first file in sorted order, so the message is stable). */
export function importCycles(graph: ImportGraph, scope: (file: string) => boolean = () => true): string[] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges)
    if (scope(e.from) && scope(e.to)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const nodes = [...new Set([...graph.files.filter(scope), ...next.keys()])].sort();

  // Tarjan's strongly connected components: a component with more than one file, or a self-import, is a cycle.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indexOf.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, indexOf.get(w) ?? 0));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component);
    }
  };
  for (const v of nodes) if (!indexOf.has(v)) connect(v);

  const cycles: string[] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = [...component].sort()[0];
    if (start === undefined) continue;
    if (component.length === 1 && !(next.get(start) ?? []).includes(start)) continue;
    // Shortest way back to the start inside the component (breadth-first), so the message names a real path.
    const prev = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const v = queue.shift() as string;
      for (const w of next.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          closing = v;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = closing; v !== undefined && v !== start; v = prev.get(v)) path.splice(1, 0, v);
    cycles.push([...path, start].join(' → '));
  }
  return cycles.sort();
}
