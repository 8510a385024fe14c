// Loads lab.config.yaml: every problem (shape and cross-field) reported at once as `file:line key: reason`.
import { resolve } from 'node:path';
import {
  friendlyIssues,
  parseYamlSource,
  problemsFromIssues,
  readSourceFile,
  SourceError,
  type SourceProblem,
} from '../util/yaml-source.ts';
import { configSchema, crossFieldSchema, type LabConfig } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'lab.config.yaml';

/** Where the config lives: --config, then LAB_CONFIG, then ./lab.config.yaml. */
export function resolveConfigPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(explicit ?? env['LAB_CONFIG'] ?? DEFAULT_CONFIG_FILE);
}

export function parseConfigText(file: string, text: string): LabConfig {
  const { doc, counter, data: raw } = parseYamlSource(file, text);
  const shape = configSchema.safeParse(raw, { error: friendlyIssues });
  const cross = crossFieldSchema.safeParse(raw, { error: friendlyIssues });
  const problems: SourceProblem[] = [];
  if (!shape.success) problems.push(...problemsFromIssues(file, doc, counter, shape.error.issues));
  // The cross-field pass re-reports shape problems of network/nodes; keep only its own rules.
  if (!cross.success) {
    const own = cross.error.issues.filter(
      (i) => i.code === 'custom' && !shape.error?.issues.some((s) => sameIssue(s, i)),
    );
    problems.push(...problemsFromIssues(file, doc, counter, own));
  }
  if (problems.length > 0 || !shape.success) throw new SourceError(dedupe(problems));
  return shape.data;
}

function sameIssue(
  a: { path: PropertyKey[]; message: string },
  b: { path: PropertyKey[]; message: string },
): boolean {
  return a.message === b.message && a.path.join('.') === b.path.join('.');
}

function dedupe(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const id = `${p.line}|${p.key}|${p.reason}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => a.line - b.line);
}

export async function loadConfig(file: string): Promise<LabConfig> {
  const text = await readSourceFile(
    file,
    'run labkit from the project folder, or pass --config FILE / set LAB_CONFIG',
  );
  return parseConfigText(file, text);
}
