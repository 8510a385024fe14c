// Loads labs/<lab>/lab.yaml: YAML with positions → zod (strict) → each built-in check's `with:` validated
// by that check's own schema → a LabSpec with defaults applied. Every problem is `file:line key: reason`.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { z } from 'zod';
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
  type YamlSource,
} from '../../util/yaml-source.ts';
import { language, type Lang } from '../../i18n/index.ts';
import { labFingerprint } from '../fingerprint.ts';
import {
  labSpecSchema,
  type CheckSpecParsed,
  type LabSpecParsed,
  type LocalizedText,
  type RunCommandSpec,
} from './schema.ts';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_INTERVAL_MS,
  DEFAULT_STEP_TIMEOUT_MS,
  type CheckRegistry,
  type CheckSpec,
  type CommandSpec,
  type LabSpec,
  type StepSpec,
} from './types.ts';

interface Binder {
  readonly lang: Lang;
  readonly controlPlane: string;
  readonly commandTimeoutMs: number;
  /** stdinFile contents by the resolved file path. */
  readonly stdin: ReadonlyMap<string, string>;
  readonly baseDir: string;
}

function bindCommand(c: RunCommandSpec, b: Binder): CommandSpec {
  const expect = c.expectExit ?? 0;
  const stdinPath = c.stdinFile !== undefined ? resolve(b.baseDir, c.stdinFile) : undefined;
  const stdin = stdinPath !== undefined ? b.stdin.get(stdinPath) : undefined;
  return {
    ...(c.stdinFile !== undefined ? { stdinFile: c.stdinFile } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
    ...(c.unlessSaved !== undefined ? { unlessSaved: c.unlessSaved } : {}),
    ...(c.title !== undefined ? { title: c.title } : {}),
    host: c.host ?? b.controlPlane,
    body: c.argv !== undefined ? { argv: c.argv } : { script: c.script ?? '' },
    timeoutMs: c.timeout ?? b.commandTimeoutMs,
    sudo: c.sudo ?? false,
    passEnv: c.passEnv ?? [],
    expectExit: expect === 'any' ? 'any' : typeof expect === 'number' ? [expect] : expect,
    save: c.save ?? {},
  };
}

/** The text in `lang`; a plain string is the same in every language. */
export function textIn(text: LocalizedText, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}

function commandTitle(body: CommandSpec['body']): string {
  return 'argv' in body ? body.argv.join(' ') : (body.script.split('\n')[0] ?? 'script');
}

function bindCheck(c: CheckSpecParsed, b: Binder, registry: CheckRegistry): CheckSpec {
  if (c.command !== undefined) {
    const command = bindCommand({ ...c.command }, { ...b, stdin: new Map() });
    const fallback = commandTitle(command.body);
    return {
      kind: 'command',
      title: c.title !== undefined ? textIn(c.title, b.lang) : fallback,
      stableTitle: c.title !== undefined ? textIn(c.title, 'en') : fallback,
      command,
      expect: c.expect ?? {},
    };
  }
  const check = registry.get(c.check ?? '');
  if (check === undefined) throw new Error(`unreachable: check ${c.check} was validated`);
  return {
    kind: 'builtin',
    title: c.title !== undefined ? textIn(c.title, b.lang) : check.name,
    stableTitle: c.title !== undefined ? textIn(c.title, 'en') : check.name,
    check,
    rawParams: c.with ?? {},
  };
}

/** Validates every `check: NAME` + `with:` against the registry; problems carry the lines of the keys. */
function builtinProblems(
  source: YamlSource,
  parsed: LabSpecParsed,
  registry: CheckRegistry,
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const add = (path: PathSegment[], reason: string) =>
    problems.push({
      file: source.file,
      line: lineOfPath(source.doc, source.counter, path),
      key: formatKeyPath(path),
      reason,
    });
  parsed.steps.forEach((step, i) =>
    step.checks.forEach((c, j) => {
      if (c.check === undefined) return;
      const at: PathSegment[] = ['steps', i, 'checks', j];
      const check = registry.get(c.check);
      if (check === undefined) {
        add(
          [...at, 'check'],
          `unknown built-in check "${c.check}": known checks are ${[...registry.keys()].sort().join(', ') || '(none)'}`,
        );
        return;
      }
      const result = check.params.safeParse(c.with ?? {}, { error: friendlyIssues });
      if (!result.success)
        for (const p of problemsFromIssues(
          source.file,
          source.doc,
          source.counter,
          prefixIssues(result.error.issues, [...at, 'with']),
        ))
          problems.push(p);
    }),
  );
  return problems;
}

function prefixIssues(issues: readonly z.core.$ZodIssue[], prefix: PathSegment[]): z.core.$ZodIssue[] {
  return issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
}

/** Every command list in the spec with its key path (for stdinFile problems). */
function commandLists(parsed: LabSpecParsed): [PathSegment[], RunCommandSpec[]][] {
  const lists: [PathSegment[], RunCommandSpec[]][] = [];
  parsed.steps.forEach((step, i) => {
    for (const key of ['setup', 'run', 'solve', 'cleanup', 'diagnose'] as const)
      if (step[key]) lists.push([['steps', i, key], step[key]]);
  });
  if (parsed.cleanup) lists.push([['cleanup'], parsed.cleanup]);
  return lists;
}

/** Reads every stdinFile (relative to lab.yaml); a missing file is a problem at its key. */
function readStdinFiles(source: YamlSource, parsed: LabSpecParsed, baseDir: string) {
  const contents = new Map<string, string>();
  const problems: SourceProblem[] = [];
  for (const [at, list] of commandLists(parsed))
    list.forEach((c, j) => {
      if (c.stdinFile === undefined) return;
      const path = resolve(baseDir, c.stdinFile);
      if (contents.has(path)) return;
      try {
        contents.set(path, readFileSync(path, 'utf8'));
      } catch (error) {
        const key: PathSegment[] = [...at, j, 'stdinFile'];
        const code = (error as NodeJS.ErrnoException).code;
        problems.push({
          file: source.file,
          line: lineOfPath(source.doc, source.counter, key),
          key: formatKeyPath(key),
          reason:
            code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? String(error)})`,
        });
      }
    });
  return { contents, problems };
}

function bindLab(
  file: string,
  parsed: LabSpecParsed,
  registry: CheckRegistry,
  stdin: ReadonlyMap<string, string>,
  lang: Lang,
): LabSpec {
  const controlPlane = parsed.controlPlane ?? parsed.hosts[0] ?? 'master-node';
  const b: Binder = {
    lang,
    controlPlane,
    commandTimeoutMs: parsed.defaults?.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS,
    stdin,
    baseDir: dirname(resolve(file)),
  };
  const cmds = (list: RunCommandSpec[] | undefined) => (list ?? []).map((c) => bindCommand(c, b));
  const steps = parsed.steps.map((s, i): StepSpec => ({
    index: i + 1,
    id: s.id,
    title: textIn(s.title, lang),
    stableTitle: textIn(s.title, 'en'),
    ...(s.description !== undefined ? { description: textIn(s.description, lang) } : {}),
    points: s.points,
    timeoutMs: s.timeout ?? parsed.defaults?.timeout ?? DEFAULT_STEP_TIMEOUT_MS,
    intervalMs: s.interval ?? parsed.defaults?.interval ?? DEFAULT_INTERVAL_MS,
    setup: cmds(s.setup),
    run: cmds(s.run),
    checks: s.checks.map((c) => bindCheck(c, b, registry)),
    ...(s.hint !== undefined ? { hint: textIn(s.hint, lang) } : {}),
    diagnose: cmds(s.diagnose),
    solve: cmds(s.solve),
    cleanup: cmds(s.cleanup),
  }));
  const name = basename(dirname(file));
  return {
    name,
    file,
    title: textIn(parsed.title, lang),
    ...(parsed.description !== undefined ? { description: textIn(parsed.description, lang) } : {}),
    hosts: parsed.hosts,
    controlPlane,
    namespace: parsed.namespace,
    commandTimeoutMs: b.commandTimeoutMs,
    steps,
    cleanup: cmds(parsed.cleanup),
    fingerprint: labFingerprint({ name, steps }),
  };
}

/** Parses and validates lab.yaml text; throws SourceError listing every problem with its line. Student texts
 *  are taken in `lang` (default: the process's language, src/i18n). */
export function parseLabSpecText(
  file: string,
  text: string,
  registry: CheckRegistry,
  lang: Lang = language(),
): LabSpec {
  const source = parseYamlSource(file, text);
  const parsed = labSpecSchema.safeParse(source.data, { error: friendlyIssues });
  if (!parsed.success)
    throw new SourceError(problemsFromIssues(file, source.doc, source.counter, parsed.error.issues));
  const stdin = readStdinFiles(source, parsed.data, dirname(resolve(file)));
  const problems = [...builtinProblems(source, parsed.data, registry), ...stdin.problems];
  if (problems.length > 0) throw new SourceError(problems.sort((a, b) => a.line - b.line));
  return bindLab(file, parsed.data, registry, stdin.contents, lang);
}

export async function loadLabSpec(
  file: string,
  registry: CheckRegistry,
  lang: Lang = language(),
): Promise<LabSpec> {
  const text = await readSourceFile(file, 'see `lab list` for the labs there are');
  return parseLabSpecText(file, text, registry, lang);
}
