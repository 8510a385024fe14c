// Registers the lab commands: list, check, solve, reset, explain.
import type { Command } from 'commander';
import { EXIT, UserError } from '../util/exit-codes.ts';
import { labExplainCommand, labListCommand } from './lab-explain.ts';
import { labResetCommand } from './lab-reset.ts';
import { labRunCommand, type LabRunOptions } from './lab-run.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function targetOptions(cmd: Command): Command {
  return cmd
    .option('--inventory <file>', 'class inventory to take the target from (default: the current lab)')
    .option('--target <id>', 'target (student) id in the inventory')
    .option('--config <file>', 'lab config for the Vagrant lab (default: $LAB_CONFIG or lab.config.yaml)');
}

export function registerLabCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('list')
    .description('the labs there are (labs/<name>/lab.yaml)')
    .action(async () => setExit(await labListCommand()));
  targetOptions(
    program
      .command('check')
      .description(
        'check each step of a lab on the cluster: what ran, what was expected, what came back, a hint',
      )
      .argument('<lab>', 'lab name (see `lab list`) or path to a lab.yaml')
      .option('--step <n>', 'only this step (number or id)')
      .option('--from <n>', 'this step and every later one')
      .option('--dry-run', 'print every command without running anything')
      .option('--timeout <duration>', "every step's deadline, e.g. 30s (default: each step's own)")
      .option(
        '--wait',
        'poll every failing check to its deadline (default: only while the cluster is converging)',
      )
      .option(
        '--report <kind:path>',
        'write a report: json:PATH, junit:PATH or md:PATH (repeatable)',
        collect,
      ),
  ).action(async (lab: string, opts: LabRunOptions) => setExit(await labRunCommand(lab, 'check', opts)));
  targetOptions(
    program
      .command('solve')
      .description("apply a step's solution (then confirm it with the step's checks)")
      .argument('<lab>', 'lab name or path to a lab.yaml')
      .option('--step <n>', 'the step to solve (number or id)')
      .option('--from <n>', 'solve this step and every later one')
      .option('--all', 'solve every step in order')
      .option('--timeout <duration>', "every step's deadline, e.g. 30s (default: each step's own)")
      .option('--dry-run', 'print every command without running anything')
      .option(
        '--report <kind:path>',
        'write a report: json:PATH, junit:PATH or md:PATH (repeatable)',
        collect,
      ),
  ).action(async (lab: string, opts: LabRunOptions & { all?: boolean }) => {
    const chosen = [opts.step, opts.from, opts.all].filter((v) => v !== undefined).length;
    if (chosen !== 1)
      throw new UserError('lab solve needs exactly one of --step N, --from N or --all', EXIT.usage);
    setExit(await labRunCommand(lab, 'solve', opts));
  });
  targetOptions(
    program
      .command('reset')
      .description(
        "remove what the lab made (its cleanup) and forget the lab's memory on the target (to rewind the VMs to their snapshot instead: npm run lab:reset)",
      )
      .argument('<lab>', 'lab name or path to a lab.yaml'),
  ).action(async (lab: string, opts: { inventory?: string; target?: string; config?: string }) =>
    setExit(await labResetCommand(lab, opts)),
  );
  program
    .command('explain')
    .description('what a lab asks, step by step: checks, hints, and what solve would run')
    .argument('<lab>', 'lab name or path to a lab.yaml')
    .option('--step <n>', 'only this step (number or id)')
    .action(async (lab: string, opts: { step?: string }) => setExit(await labExplainCommand(lab, opts)));
}
