// `--dry-run`: every command a run would send, in order, per step, without connecting anywhere. Templates are
// filled from lab memory when it has the value, else shown as written.
import type { LabMemory } from '../checks/types.ts';
import { quoteArgv } from '../ssh/quote.ts';
import type { RunMode } from './results.ts';
import type { CommandSpec, LabSpec, StepSpec } from './spec/types.ts';
import { MissingMemoryError, substituteArgv } from './template.ts';
import { formatDuration } from './spec/duration.ts';

function argvText(argv: readonly string[], memory: LabMemory): string {
  try {
    return quoteArgv(substituteArgv(argv, memory));
  } catch (error) {
    if (error instanceof MissingMemoryError)
      return `${quoteArgv(argv)}   # ${error.key} not in lab memory yet`;
    throw error;
  }
}

export function describeCommand(
  spec: Pick<CommandSpec, 'host' | 'body' | 'sudo' | 'timeoutMs'> &
    Partial<Pick<CommandSpec, 'passEnv' | 'stdinFile' | 'unlessSaved'>>,
  memory: LabMemory,
): string[] {
  const prefix = `${spec.host}$ ${spec.sudo ? 'sudo ' : ''}`;
  const notes = [
    ...(spec.stdinFile ? [`stdin from ${spec.stdinFile}`] : []),
    ...(spec.passEnv?.length ? [`env from local: ${spec.passEnv.join(', ')} (values hidden)`] : []),
    ...(spec.unlessSaved ? [`skipped when ${spec.unlessSaved} is saved`] : []),
  ];
  const env = notes.length ? `   # ${notes.join('; ')}` : '';
  if ('argv' in spec.body) return [`${prefix}${argvText(spec.body.argv, memory)}${env}`];
  return [
    `${prefix}bash -c <<'SCRIPT'${env}`,
    ...spec.body.script
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`),
    '    SCRIPT',
  ];
}

function section(name: string, commands: readonly CommandSpec[], memory: LabMemory): string[] {
  return commands.flatMap((c) =>
    describeCommand(c, memory).map((line, i) => (i === 0 ? `  [${name}] ${line}` : `  ${line}`)),
  );
}

export function planStep(step: StepSpec, mode: RunMode, memory: LabMemory): string[] {
  const lines = [
    `step ${step.index} ${step.id}: ${step.title} (timeout ${formatDuration(step.timeoutMs)}, every ${formatDuration(step.intervalMs)})`,
  ];
  lines.push(...section('setup', step.setup, memory));
  if (mode === 'solve') lines.push(...section('solve', step.solve, memory));
  lines.push(...section('run', step.run, memory));
  for (const check of step.checks) {
    if (check.kind === 'command') {
      lines.push(
        ...describeCommand(check.command, memory).map((l, i) => (i === 0 ? `  [check] ${l}` : `  ${l}`)),
      );
    } else {
      lines.push(
        `  [check] ${check.check.name} ${JSON.stringify(check.rawParams)}   # built-in: ${check.check.description}`,
      );
    }
  }
  lines.push(...section('diagnose', step.diagnose, memory));
  lines.push(...section('cleanup', step.cleanup, memory));
  return lines;
}

export function planLab(
  spec: LabSpec,
  steps: readonly StepSpec[],
  mode: RunMode,
  memory: LabMemory,
): string[] {
  return [
    `# ${spec.name}: ${mode} (dry run: nothing is executed)`,
    ...steps.flatMap((s) => planStep(s, mode, memory)),
  ];
}
