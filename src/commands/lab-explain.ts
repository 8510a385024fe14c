// `lab explain LAB [--step N]` and `lab list`: what a lab asks, step by step, with the commands solve would run.
import { t } from '../i18n/index.ts';
import { describeCommand } from '../lab/dry-run.ts';
import { labsDir, listLabNames } from '../lab/catalog.ts';
import { InMemoryLabMemory } from '../lab/memory.ts';
import { defaultCheckRegistry } from '../lab/registry.ts';
import { findStep } from '../lab/select.ts';
import { formatDuration } from '../lab/spec/duration.ts';
import { loadLabSpec } from '../lab/spec/load.ts';
import type { LabSpec, StepSpec } from '../lab/spec/types.ts';
import { SourceError } from '../util/yaml-source.ts';
import { join } from 'node:path';
import { loadLab } from './lab-run.ts';

function explainStep(step: StepSpec): string[] {
  const memory = new InMemoryLabMemory();
  const m = t().explain;
  const lines = [
    m.stepHead(step.index, step.title, step.id, step.points, formatDuration(step.timeoutMs)),
    '',
  ];
  if (step.description) lines.push(step.description.trim(), '');
  lines.push(m.checks);
  for (const c of step.checks)
    lines.push(
      c.kind === 'command'
        ? `  - ${c.title}: ${describeCommand(c.command, memory)[0]}`
        : `  - ${c.title}: ${c.check.description} ${JSON.stringify(c.rawParams)}`,
    );
  if (step.hint) lines.push('', `${m.hint} ${step.hint.trim()}`);
  if (step.solve.length > 0) {
    lines.push('', m.solveRuns);
    for (const c of step.solve) lines.push(...describeCommand(c, memory).map((l) => `  ${l}`));
  }
  return [...lines, ''];
}

export function explainLab(spec: LabSpec, step?: string): string {
  const steps = step !== undefined ? [findStep(spec, step, '--step')] : spec.steps;
  const head =
    step !== undefined
      ? [`# ${spec.title} (${spec.name})`, '']
      : [
          `# ${spec.title} (${spec.name})`,
          '',
          ...(spec.description ? [spec.description.trim(), ''] : []),
          t().explain.hosts(spec.hosts.join(', '), spec.controlPlane, spec.namespace),
          '',
        ];
  return [...head, ...steps.flatMap(explainStep)].join('\n');
}

export async function labExplainCommand(ref: string, options: { step?: string }): Promise<number> {
  process.stdout.write(`${explainLab(await loadLab(ref), options.step)}\n`);
  return 0;
}

export async function labListCommand(): Promise<number> {
  const dir = labsDir();
  const names = await listLabNames(dir);
  if (names.length === 0) {
    process.stdout.write(`no labs in ${dir}\n`);
    return 0;
  }
  const registry = defaultCheckRegistry();
  for (const name of names) {
    try {
      const spec = await loadLabSpec(join(dir, name, 'lab.yaml'), registry);
      const points = spec.steps.reduce((sum, s) => sum + s.points, 0);
      const first = spec.description?.trim().split('\n')[0] ?? '';
      process.stdout.write(
        `${name.padEnd(16)} ${t().explain.listEntry(spec.title, spec.steps.length, points)}${first ? `\n${' '.repeat(17)}${first}` : ''}\n`,
      );
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      process.stdout.write(
        `${name.padEnd(16)} (invalid: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}; run \`lab explain ${name}\` to see them)\n`,
      );
    }
  }
  return 0;
}
