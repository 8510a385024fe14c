// Loads a class inventory: YAML with positions → zod (strict) → defaults applied → resolved hosts.
// Every problem is reported as `file:line key: reason` through the shared helper in src/util/yaml-source.ts.
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  formatKeyPath,
  friendlyIssues,
  lineOfPath,
  parseYamlSource,
  problemsFromIssues,
  readSourceFile,
  SourceError,
  type PathSegment,
  type SourceProblem,
} from '../util/yaml-source.ts';
import { DEFAULT_KNOWN_HOSTS, type HostKeyPolicy, type InventoryHost } from './host.ts';
import { inventorySchema, type InventoryFile } from './schema.ts';

export interface InventoryStudent {
  readonly classId: string;
  readonly id: string;
  readonly name?: string;
  readonly email?: string;
  readonly lmsId?: string;
  readonly overrides?: { readonly namespace?: string; readonly steps?: readonly (string | number)[] };
  readonly master: InventoryHost;
  readonly workers: readonly InventoryHost[];
  /** Key path of this student in the file (`classes[0].students[2]`), for problems found later. */
  readonly path: readonly PathSegment[];
}

export interface Inventory {
  readonly file: string;
  readonly students: readonly InventoryStudent[];
  /** Line of a key path in the file (for `file:line key: reason` problems found after loading). */
  lineOf(path: readonly PathSegment[]): number;
  /** Whether the file sets this key path itself (else a default applied). */
  hasKey(path: readonly PathSegment[]): boolean;
}

type Connection = {
  host: string;
  port?: number;
  user?: string;
  identityFile?: string;
  hostKey?: { mode: 'strict' | 'accept-new' | 'ignore'; knownHostsFile?: string };
  connectTimeoutSec?: number;
};
type Defaults = NonNullable<InventoryFile['defaults']>;

interface ResolveContext {
  readonly file: string;
  readonly baseDir: string;
  readonly defaults: Defaults;
  readonly problem: (path: PathSegment[], reason: string) => void;
  readonly lineOf: (path: readonly PathSegment[]) => number;
  readonly hasKey: (path: readonly PathSegment[]) => boolean;
}

function resolvePath(path: string, baseDir: string): string {
  return path.startsWith('~') || isAbsolute(path) ? path : resolve(baseDir, path);
}

function resolveConnection(
  conn: Connection,
  path: PathSegment[],
  ctx: ResolveContext,
): Omit<InventoryHost, 'jump' | 'name'> {
  const d = ctx.defaults;
  const identityFile = conn.identityFile ?? d.identityFile;
  if (identityFile === undefined)
    ctx.problem([...path, 'identityFile'], 'no private key: set identityFile here or under defaults');
  const policy = conn.hostKey ?? d.hostKey ?? { mode: 'strict' as const };
  const hostKey: HostKeyPolicy =
    policy.mode === 'ignore'
      ? { mode: 'ignore' }
      : {
          mode: policy.mode,
          knownHostsFile: resolvePath(
            policy.knownHostsFile ?? d.hostKey?.knownHostsFile ?? DEFAULT_KNOWN_HOSTS,
            ctx.baseDir,
          ),
        };
  const timeout = conn.connectTimeoutSec ?? d.connectTimeoutSec;
  return {
    host: conn.host,
    port: conn.port ?? d.port ?? 22,
    user: conn.user ?? d.user ?? 'vagrant',
    identityFile: resolvePath(identityFile ?? '', ctx.baseDir),
    hostKey,
    ...(timeout !== undefined ? { connectTimeoutSec: timeout } : {}),
  };
}

function resolveHost(
  conn: Connection & { name: string; jump?: Connection },
  path: PathSegment[],
  ctx: ResolveContext,
): InventoryHost {
  const jumpSource = conn.jump ?? ctx.defaults.jump;
  const jumpPath = conn.jump ? [...path, 'jump'] : ['defaults', 'jump'];
  return {
    name: conn.name,
    ...resolveConnection(conn, path, ctx),
    ...(jumpSource ? { jump: resolveConnection(jumpSource, jumpPath, ctx) } : {}),
  };
}

function resolveInventory(file: string, data: InventoryFile, ctx: ResolveContext): Inventory {
  const students = data.classes.flatMap((klass, c) =>
    klass.students.map((student, s): InventoryStudent => {
      const at: PathSegment[] = ['classes', c, 'students', s];
      return {
        classId: klass.id,
        id: student.id,
        ...(student.name !== undefined ? { name: student.name } : {}),
        ...(student.email !== undefined ? { email: student.email } : {}),
        ...(student.lmsId !== undefined ? { lmsId: student.lmsId } : {}),
        ...(student.overrides !== undefined ? { overrides: student.overrides } : {}),
        master: resolveHost(student.master, [...at, 'master'], ctx),
        workers: (student.workers ?? []).map((w, i) => resolveHost(w, [...at, 'workers', i], ctx)),
        path: at,
      };
    }),
  );
  return { file, students, lineOf: ctx.lineOf, hasKey: ctx.hasKey };
}

/** Parses and validates inventory text; throws SourceError listing every problem with its line. */
export function parseInventoryText(file: string, text: string): Inventory {
  const source = parseYamlSource(file, text);
  const parsed = inventorySchema.safeParse(source.data, { error: friendlyIssues });
  if (!parsed.success)
    throw new SourceError(problemsFromIssues(file, source.doc, source.counter, parsed.error.issues));
  const problems: SourceProblem[] = [];
  const ctx: ResolveContext = {
    file,
    baseDir: dirname(resolve(file)),
    defaults: parsed.data.defaults ?? {},
    lineOf: (path) => lineOfPath(source.doc, source.counter, path),
    hasKey: (path) => source.doc.hasIn(path),
    problem: (path, reason) =>
      problems.push({
        file,
        line: lineOfPath(source.doc, source.counter, path),
        key: formatKeyPath(path),
        reason,
      }),
  };
  const inventory = resolveInventory(file, parsed.data, ctx);
  if (problems.length > 0) throw new SourceError(problems.sort((a, b) => a.line - b.line));
  return inventory;
}

/** Reads and validates an inventory file. */
export async function loadInventory(file: string): Promise<Inventory> {
  const text = await readSourceFile(
    file,
    'pass the class inventory with --inventory FILE (see docs for its format)',
  );
  return parseInventoryText(file, text);
}
